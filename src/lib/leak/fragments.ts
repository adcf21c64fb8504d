// The fragment rule. A key split into pieces ("sk-proj-Ab" + "cd…", an array joined at run time,
// halves in two bundle chunks) leaks as surely as the whole key. We count a piece when it is a run
// of at least MIN_FRAGMENT (8) characters of the key's random part, found as it is in the target;
// the target leaks the key by fragments when the pieces, in all its files together, cover at least
// 80% of the random part. Runs that short of random characters do not occur by chance, and a masked
// key ("sk-proj-abc…xyz"), another key with the same prefix, or the prefix itself cover far less.
import type { Finding, Target } from './types.ts';
import { keyPrefixLength } from './forms/needles.ts';
import { maskKey } from './mask.ts';

export const MIN_FRAGMENT = 8;
export const FRAGMENT_COVERAGE = 0.8;

export interface LocatedPiece {
  file: string;
  line: number;
  column: number;
  /** The piece is key[keyStart, keyEnd). */
  keyStart: number;
  keyEnd: number;
  commit?: string;
  layer?: string;
  /** Container the piece was found in ('sourcemap of src/a.ts, line 3', 'gzip'...). */
  via?: string;
  /** Byte offsets in the scanned bytes (when found directly in them, not inside a container). */
  at?: number;
  to?: number;
}

export class FragmentCollector {
  readonly key: string;
  readonly pieces: LocatedPiece[] = [];
  private prefix: number;
  constructor(key: string) {
    this.key = key;
    this.prefix = keyPrefixLength(key);
  }
  add(pieces: LocatedPiece[]): void {
    for (const p of pieces) {
      if (p.keyEnd - Math.max(p.keyStart, this.prefix) >= MIN_FRAGMENT) this.pieces.push(p);
    }
  }
  /** Share of the random part covered by all pieces so far (0..1). */
  coverage(): number {
    const n = this.key.length - this.prefix;
    const covered = new Uint8Array(n);
    for (const p of this.pieces) for (let i = Math.max(p.keyStart, this.prefix); i < p.keyEnd; i++) covered[i - this.prefix] = 1;
    let c = 0;
    for (const x of covered) c += x;
    return n ? c / n : 0;
  }
  /** One 'fragments' finding when the pieces cover enough of the key, else null. */
  finding(target: Target): Finding | null {
    const cov = this.coverage();
    if (!this.pieces.length || cov < FRAGMENT_COVERAGE) return null;
    const places = new Map<string, LocatedPiece>();
    for (const p of this.pieces) {
      const id = `${p.commit ?? ''}|${p.layer ?? ''}|${p.file}|${p.line}|${p.column}|${p.keyStart}`;
      if (!places.has(id)) places.set(id, p);
    }
    const list = [...places.values()].sort((a, b) => a.keyStart - b.keyStart);
    const shown = list.slice(0, 12).map((p) => `${p.file}${p.line ? `:${p.line}:${p.column}` : ''}${p.via ? ` (${p.via})` : ''} has characters ${p.keyStart + 1}–${p.keyEnd}`);
    const files = new Set(list.map((p) => p.file));
    const first = list[0];
    const f: Finding = {
      target,
      file: first.file,
      line: first.line,
      column: first.column,
      form: 'fragments',
      excerpt: `${maskKey(this.key)} in ${list.length} pieces`,
      message:
        `The key is split into ${list.length} pieces ${files.size > 1 ? `across ${files.size} files` : `in ${first.file}`}` +
        ` that together hold ${Math.round(cov * 100)}% of it: ${shown.join('; ')}${list.length > 12 ? '; …' : ''}.`,
    };
    if (first.commit) f.commit = first.commit;
    if (first.layer) f.layer = first.layer;
    return f;
  }
}

const FORM_WORDS: Record<string, string> = {
  plain: 'plain text',
  reversed: 'reversed text',
  rot13: 'ROT13-shifted text',
  hex: 'hexadecimal',
  base64: 'base64 text',
  base64url: 'base64url text',
  utf16le: 'UTF-16 (little-endian) text',
  utf16be: 'UTF-16 (big-endian) text',
  percent: 'percent-encoded (URL) text',
  'js-escape': 'JavaScript/JSON escapes (\\x.. or \\u....)',
  'html-entity': 'HTML character references (&#…;)',
  'char-codes': 'a list of character codes',
  fragments: 'pieces that together make up the key',
  gzip: 'gzip-compressed data',
  brotli: 'brotli-compressed data',
  deflate: 'deflate-compressed data',
  'base64-gzip': 'base64 of gzip-compressed data',
  'data-url': 'a data: URL',
  'inline-sourcemap': 'an inline source map',
  sourcemap: "a source map's copy of the source",
};

/** Words for one form name, including the cipher families of forms/ciphers.ts ("rot5-after-prefix"). */
function formWords(form: string): string | undefined {
  if (FORM_WORDS[form]) return FORM_WORDS[form];
  const m = /^(rot|alnum-shift|shift|xor)([+-]?\d*)(-after-prefix)?$/.exec(form);
  if (!m) return undefined;
  const part = m[3] ? ' (only the part after the prefix)' : '';
  if (m[1] === 'rot') return `ROT${m[2]}-shifted text${part}`;
  if (m[1] === 'alnum-shift') return `a Caesar shift by ${m[2]} over letters and digits${part}`;
  if (m[1] === 'shift') return `character codes shifted by ${m[2]}${part}`;
  return 'single-byte XOR';
}

/** "gzip>base64" → "base64 text inside gzip-compressed data"; "hex>xor" → "single-byte XOR written as hexadecimal". */
export function describeForm(form: string): string {
  const parts = form.split('>');
  const inner = parts.pop() as string;
  let s = formWords(inner) ?? inner.split('+').map((p) => formWords(p) ?? p).join(' mixed with ');
  // A cipher inside an encoding reads the other way round: what was done first, then how it is written.
  if (parts.length && /^(xor|reversed|rot13)$/.test(inner) && /^(hex|base64|base64url)$/.test(parts[parts.length - 1])) {
    s += ` written as ${formWords(parts.pop() as string)}`;
  }
  for (const outer of parts.reverse()) s += ` inside ${formWords(outer) ?? outer}`;
  return s;
}
