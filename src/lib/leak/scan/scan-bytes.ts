// Scanning bytes for real-looking OpenAI keys, plain or encoded. Like gitleaks, decode first, then
// match: UTF-16 text, gzip/deflate/brotli content (with the decompressors passed in), percent /
// JS / JSON / HTML escapes and char-code lists (H3a's decoders), base64 / base64url runs (nested
// twice), hex runs, reversed text and ROT13. Each decoder runs only where its input can be present.
import type { Decompressors, DetectContext, Finding } from '../types.ts';
import { decodeEscapes, decodeCharCodes, latin1 } from '../forms/decode.ts';
import { maskKey } from '../mask.ts';
import { matchRules, type RuleMatch } from './rules.ts';

export interface ScanContext extends DetectContext {
  decompress?: Decompressors;
}

interface Hit {
  match: RuleMatch;
  form: string;
  /** Offset in the scanned text where the (encoded) key starts. */
  at: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The base64 characters of `bytes` that do not depend on their neighbours, at each alignment. */
function stableCores(bytes: number[]): string[] {
  const out: string[] = [];
  for (let lead = 0; lead < 3; lead++) {
    const bits = lead * 8;
    const first = Math.ceil(bits / 6);
    const last = Math.floor((bits + bytes.length * 8) / 6);
    let core = '';
    for (let g = first; g < last; g++) {
      let v = 0;
      for (let k = 0; k < 6; k++) {
        const bit = g * 6 + k - bits;
        v = (v << 1) | ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1);
      }
      core += B64[v];
    }
    out.push(core);
  }
  return out;
}
const B64VAL = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64VAL[B64.charCodeAt(i)] = i;
B64VAL[45] = 62; // base64url "-"
B64VAL[95] = 63; // base64url "_"

/** Decodes base64/base64url from text[start] for at most `span` characters (line breaks skipped), as latin1. */
function decodeBase64Text(text: string, start: number, span: number): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  const end = Math.min(text.length, start + span);
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64VAL[c] : -1;
    if (v < 0) {
      if (c === 10 || c === 13) continue;
      break;
    }
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}
const codes = (s: string) => [...s].map((c) => c.charCodeAt(0));
const LEVEL1 = stableCores(codes('sk-'));
/** "sk-" encoded once (c2st, NrL, zay) and twice; base64url shares these characters. */
export const B64_NEEDLES = [...new Set([...LEVEL1, ...LEVEL1.flatMap((n) => stableCores(codes(n)))])].filter((n) => n.length >= 3);
/** Enough hex for a key of up to 200 characters. */
const B64_WINDOW = 400;

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

  // Escapes and char codes are decoded only when a piece of "sk-" could be in that form.
  if (/%(?:73|6b|2d)|\\u00(?:73|6b|2d)|\\x(?:73|6b|2d)|&#(?:115|107|45|x73|x6b|x2d);|&hyphen;|&dash;/i.test(text)) {
    const d = decodeEscapes(text);
    if (d.text !== text) add(matchRules(d.text).filter((m) => !hits.some((h) => h.match.text === m.text)), [...d.kinds].join('+') || 'escaped', (m) => d.from[m.start]);
  }
  if (/\b115\s*,\s*107\s*,\s*45\b|0x73\s*,\s*0x6b\s*,\s*0x2d/i.test(text)) {
    const d = decodeCharCodes(text);
    add(matchRules(d.text), 'char-codes', (m) => d.from[m.start]);
  }
  if (text.includes('-ks')) {
    const r = [...text].reverse().join('');
    add(matchRules(r), 'reversed', (m) => text.length - m.end);
  }
  if (text.includes('fx-')) add(matchRules(rot13(text)), 'rot13', (m) => m.start);
  if (depth < 2) {
    // base64 / base64url: decode only around the encodings of "sk-" (and, for base64 of base64,
    // the encodings of those), at each of the four possible group alignments.
    const tried = new Set<number>();
    for (const needle of B64_NEEDLES) {
      const span = LEVEL1.includes(needle) ? 256 : 400;
      for (let p = text.indexOf(needle); p >= 0; p = text.indexOf(needle, p + 1)) {
        for (let back = 0; back < 4; back++) {
          const start = p - back;
          if (start < 0 || tried.has(start)) continue;
          tried.add(start);
          const inner = decodeBase64Text(text, start, span);
          // Recurse only when the decoded text can hold a key (or "sk-" encoded once more).
          if (!inner.includes('sk-') && !LEVEL1.some((n) => inner.includes(n))) continue;
          for (const h of findInText(inner, depth + 1)) hits.push({ match: h.match, form: h.form === 'plain' ? 'base64' : `base64>${h.form}`, at: start });
        }
      }
    }
    for (const needle of ['736b2d', '736B2D']) {
      for (let p = text.indexOf(needle); p >= 0; p = text.indexOf(needle, p + 1)) {
        const m = /^(?:[0-9a-fA-F]{2})+/.exec(text.slice(p, p + 2 * B64_WINDOW));
        if (!m) continue;
        const dec = new Uint8Array(m[0].length / 2);
        for (let i = 0; i < dec.length; i++) dec[i] = parseInt(m[0].substr(i * 2, 2), 16);
        for (const h of findInText(fromBytes(dec), depth + 1)) hits.push({ match: h.match, form: h.form === 'plain' ? 'hex' : `hex>${h.form}`, at: p });
      }
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
