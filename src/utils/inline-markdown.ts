// The small part of Markdown that hints, check messages and frontmatter lists use: `code` and
// **bold**. Returned as tokens, so each place renders them its own way (DOM nodes in the check
// panel, elements in Astro) and nothing is ever inserted as HTML.
export type InlineToken = { kind: 'text' | 'code' | 'strong'; text: string };

const INLINE = /`([^`\n]+)`|\*\*([^*\n]+)\*\*/g;

export function inlineTokens(source: string): InlineToken[] {
  const out: InlineToken[] = [];
  let last = 0;
  for (const m of source.matchAll(INLINE)) {
    if (m.index > last) out.push({ kind: 'text', text: source.slice(last, m.index) });
    out.push(m[1] !== undefined ? { kind: 'code', text: m[1] } : { kind: 'strong', text: m[2]! });
    last = m.index + m[0].length;
  }
  if (last < source.length) out.push({ kind: 'text', text: source.slice(last) });
  return out;
}
