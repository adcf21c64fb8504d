// Scanning bytes for real-looking OpenAI keys, plain or encoded. Like gitleaks, decode first, then
// match: UTF-16 text, gzip/deflate/brotli content (with the decompressors passed in), percent /
// JS / JSON / HTML escapes and char-code lists (H3a's decoders), base64 / base64url runs (nested
// twice), hex runs, reversed text and ROT13. Each decoder runs only where its input can be present.
import type { Decompressors, DetectContext, Finding } from '../types.ts';
import { decodeEscapes, decodeCharCodes, decodeBase64Run, latin1 } from '../forms/decode.ts';
import { maskKey } from '../mask.ts';
import { matchRules, MARKER, type RuleMatch } from './rules.ts';

export interface ScanContext extends DetectContext {
  decompress?: Decompressors;
}

interface Hit {
  match: RuleMatch;
  form: string;
  /** Offset in the scanned text where the (encoded) key starts. */
  at: number;
}

const rot13 = (s: string) =>
  s.replace(/[A-Za-z]/g, (c) => {
    const b = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - b + 13) % 26) + b);
  });

function fromBytes(b: Uint8Array): string {
  return latin1(b);
}

/** Every key found in `text`, in any form; offsets refer to `text`. */
export function findInText(text: string, depth = 0): Hit[] {
  const hits: Hit[] = [];
  const add = (list: RuleMatch[], form: string, at: (m: RuleMatch) => number) => {
    for (const m of list) hits.push({ match: m, form, at: at(m) });
  };
  add(matchRules(text), 'plain', (m) => m.start);

  if (/%[0-9a-fA-F]{2}|\\[ux]|&#|&[a-z]+;/.test(text)) {
    const d = decodeEscapes(text);
    if (d.text !== text) add(matchRules(d.text).filter((m) => !hits.some((h) => h.match.text === m.text)), [...d.kinds].join('+') || 'escaped', (m) => d.from[m.start]);
  }
  if (/\d{2,3}\s*,\s*\d{2,3}\s*,\s*\d{2,3}/.test(text)) {
    const d = decodeCharCodes(text);
    add(matchRules(d.text), 'char-codes', (m) => d.from[m.start]);
  }
  if (text.includes('-ks')) {
    const r = [...text].reverse().join('');
    add(matchRules(r), 'reversed', (m) => text.length - m.end);
  }
  if (text.includes('fx-')) add(matchRules(rot13(text)), 'rot13', (m) => m.start);
  if (depth < 2) {
    // base64 / base64url runs long enough to hold a key (a 51-character legacy key is 68 encoded).
    let bytes: Uint8Array | undefined;
    const re = /[A-Za-z0-9+/_-]{60,}/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      if (m[0].startsWith('sk-') || m[0].includes(MARKER)) continue; // the key itself, not an encoding
      for (let shift = 0; shift < 4; shift++) {
        bytes ??= Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
        const { bytes: dec } = decodeBase64Run(bytes, m.index + shift, 1 << 20);
        const inner = findInText(fromBytes(dec), depth + 1);
        if (inner.length) {
          for (const h of inner) hits.push({ match: h.match, form: h.form === 'plain' ? 'base64' : `base64>${h.form}`, at: m.index });
          break;
        }
      }
    }
    const hex = /(?:[0-9a-fA-F]{2}){40,}/g;
    while ((m = hex.exec(text))) {
      const dec = new Uint8Array(m[0].length / 2);
      for (let i = 0; i < dec.length; i++) dec[i] = parseInt(m[0].substr(i * 2, 2), 16);
      for (const h of findInText(fromBytes(dec), depth + 1)) hits.push({ match: h.match, form: h.form === 'plain' ? 'hex' : `hex>${h.form}`, at: m.index });
    }
  }
  // One report per key per form.
  const seen = new Set<string>();
  return hits.filter((h) => {
    const id = `${h.match.text}\0${h.form}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function utf16(b: Uint8Array): string | undefined {
  if (b.length < 8) return undefined;
  const le = b[0] === 0xff && b[1] === 0xfe;
  const be = b[0] === 0xfe && b[1] === 0xff;
  if (!le && !be) {
    // No BOM: many zero bytes at odd (LE) or even (BE) positions.
    let odd = 0;
    let even = 0;
    const n = Math.min(b.length, 4096);
    for (let i = 0; i < n; i++) if (b[i] === 0) i % 2 ? odd++ : even++;
    if (odd > n * 0.3 && even < n * 0.05) return new TextDecoder('utf-16le').decode(b);
    if (even > n * 0.3 && odd < n * 0.05) return new TextDecoder('utf-16be').decode(b);
    return undefined;
  }
  return new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(b.subarray(2));
}

async function decompressed(b: Uint8Array, d?: Decompressors): Promise<{ bytes: Uint8Array; form: string } | undefined> {
  try {
    if (b[0] === 0x1f && b[1] === 0x8b && d?.gunzip) return { bytes: await d.gunzip(b), form: 'gzip' };
    if (b[0] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(b[1]) && d?.inflate) return { bytes: await d.inflate(b), form: 'deflate' };
  } catch {
    return undefined;
  }
  return undefined;
}

function lineCol(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: at - last };
}

const ADVICE =
  'If it is a real key: revoke it now at platform.openai.com/api-keys (removing it from the file is not enough once it was committed or shipped), then load the new key from an environment variable or a secret manager.';

/** Findings for one file's bytes (`ctx.file`), in every form the decoders know. */
export async function scanBytes(bytes: Uint8Array, ctx: ScanContext): Promise<Finding[]> {
  const out: Finding[] = [];
  const report = (text: string, hits: Hit[], prefix: string, lines: boolean) => {
    for (const h of hits) {
      const { line, column } = lines ? lineCol(text, h.at) : { line: 0, column: 0 };
      const form = prefix ? `${prefix}>${h.form}` : h.form;
      out.push({
        target: ctx.target,
        file: ctx.file,
        line,
        column,
        form,
        excerpt: maskKey(h.match.text),
        rule: h.match.rule.id,
        commit: ctx.commit,
        layer: ctx.layer,
        message: `${h.match.rule.title} ${form === 'plain' ? '' : `(${form.replaceAll('>', ' inside ')}) `}in ${ctx.file}${line ? ` line ${line}` : ''}. ${ADVICE}`,
      });
    }
  };
  const z = await decompressed(bytes, ctx.decompress);
  if (z) {
    report('', findInText(fromUtf8(z.bytes)), z.form, false);
    return out;
  }
  const wide = utf16(bytes);
  if (wide !== undefined) {
    report(wide, findInText(wide), 'utf16', true);
    return out;
  }
  const text = fromUtf8(bytes);
  report(text, findInText(text), '', true);
  return out;
}

function fromUtf8(b: Uint8Array): string {
  // Keys are ASCII: latin1 keeps byte offsets and never fails on binary input.
  return latin1(b);
}
