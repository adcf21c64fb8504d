// Findings never show the key, nor any form of it that could be decoded back: the matched bytes are
// replaced by a few characters of their start and end, and key-like runs in the context around them
// are hidden too (a neighbouring fragment could otherwise complete the key).

/** "sk-proj-Ab…(164 chars)…yZ": enough to recognise which key it was, not enough to use it. */
export function maskKey(key: string): string {
  if (key.length <= 12) return '*'.repeat(key.length);
  const head = Math.min(10, Math.floor(key.length / 8) + 8);
  return `${key.slice(0, head)}…(${key.length} chars)…${key.slice(-2)}`;
}

/** A matched encoded form, shown by its first 6 and last 2 characters. */
export function maskMatch(match: string): string {
  const clean = printable(match);
  if (clean.length <= 12) return `…(${clean.length} chars)…`;
  return `${clean.slice(0, 6)}…(${clean.length} chars)…${clean.slice(-2)}`;
}

function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '⏎' : c === '\u0000' ? '' : '·'));
}

/** Context around a match: key-like runs of 6+ characters are replaced by "…". */
export function maskContext(s: string): string {
  return printable(s).replace(/[A-Za-z0-9_\-+/=%\\&#;.:]{6,}/g, (run) => (run.length > 12 ? '…' : run.replace(/[A-Za-z0-9_\-+/=]{6,}/g, '…')));
}

/** Excerpt of `text` around [start, end): masked context, masked match. */
export function maskedExcerpt(text: string, start: number, end: number, context = 16): string {
  const before = maskContext(text.slice(Math.max(0, start - context), start));
  const after = maskContext(text.slice(end, end + context));
  return `${before}${maskMatch(text.slice(start, end))}${after}`.trim();
}
