// The key's fixed encoded forms ("needles"): every byte string that, found in a file, proves the key
// is there. Built once per key; the scanner searches all of them at once (see gram-index.ts).
// Forms whose bytes are not fixed (partial escapes, char codes with any spacing, compressed or
// base64 containers) are found by decoding around a hit instead (see decode.ts).

/** How a needle is verified once one of its 4-byte grams is seen. */
export type NeedleKind =
  | 'exact' // byte for byte
  | 'wrapped' // may be interrupted by line breaks (base64, hex): "\n", "\r\n", JSON "\\n"
  | 'escape' // a fully escaped form; on a miss, decode the neighbourhood (mixed escapes)
  | 'char-codes' // numbers; on a miss, parse the numbers around the hit
  | 'anchor' // not the key: the start of a container to decode (base64 gzip, data: URL)
  | 'mixed'; // grams of partly escaped text (only some characters %XX or \xXX): decode around

export interface Needle {
  bytes: Uint8Array;
  /** Machine name of the form, as reported in findings. */
  form: string;
  kind: NeedleKind;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function encodeBase64(bytes: Uint8Array, alphabet: string): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + alphabet[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63];
  }
  return out;
}

/**
 * The part of base64(anything + bytes + anything) that depends only on `bytes`, when `bytes`
 * starts `shift` bytes (0, 1 or 2) after a 3-byte boundary: the same text appears in every
 * stream that carries the key at that alignment.
 */
export function base64Core(bytes: Uint8Array, shift: number, alphabet: string): string {
  const padded = new Uint8Array(shift + bytes.length);
  padded.set(bytes, shift);
  const enc = encodeBase64(padded, alphabet);
  const first = Math.ceil((8 * shift) / 6);
  const last = Math.floor((8 * (shift + bytes.length)) / 6);
  return enc.slice(first, last);
}

function hex(bytes: Uint8Array, upper: boolean): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return upper ? s.toUpperCase() : s;
}

function rot13(s: string): string {
  return s.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

function utf16(s: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i + (littleEndian ? 0 : 1)] = c & 0xff;
    out[2 * i + (littleEndian ? 1 : 0)] = c >> 8;
  }
  return out;
}

const eachChar = (s: string, f: (code: number) => string) => Array.from(s, (c) => f(c.charCodeAt(0))).join('');
const h2 = (c: number) => c.toString(16).padStart(2, '0');

/** Every fixed form of `key` the scanner looks for. */
export function buildNeedles(key: string): Needle[] {
  const out: Needle[] = [];
  const seen = new Set<string>();
  const add = (text: string | Uint8Array, form: string, kind: NeedleKind) => {
    const id = typeof text === 'string' ? text : String.fromCharCode(...text);
    if (id.length < 8 || seen.has(id)) return; // base64 and base64url agree when no + or / occurs
    seen.add(id);
    out.push({ bytes: typeof text === 'string' ? ascii(text) : text, form, kind });
  };
  const k = utf8(key);
  add(k, 'plain', 'exact');
  add([...key].reverse().join(''), 'reversed', 'exact');
  add(rot13(key), 'rot13', 'exact');
  add(hex(k, false), 'hex', 'wrapped');
  add(hex(k, true), 'hex', 'wrapped');
  add(utf16(key, true), 'utf16le', 'exact');
  add(utf16(key, false), 'utf16be', 'exact');
  for (const [alphabet, form] of [[B64, 'base64'], [B64URL, 'base64url']] as const) {
    for (let shift = 0; shift < 3; shift++) add(base64Core(k, shift, alphabet), form, 'wrapped');
  }
  // base64 of base64 (std or url inside, std or url outside), every alignment of both.
  for (const [inner, innerName] of [[B64, 'base64'], [B64URL, 'base64url']] as const) {
    for (let s1 = 0; s1 < 3; s1++) {
      const mid = ascii(base64Core(k, s1, inner));
      for (const [outer, outerName] of [[B64, 'base64'], [B64URL, 'base64url']] as const) {
        for (let s2 = 0; s2 < 3; s2++) add(base64Core(mid, s2, outer), `${outerName}>${innerName}`, 'wrapped');
      }
    }
  }
  // base64 of UTF-16LE text (PowerShell -EncodedCommand, .NET Convert.ToBase64String(Unicode)).
  for (let shift = 0; shift < 3; shift++) add(base64Core(utf16(key, true), shift, B64), 'base64>utf16le', 'wrapped');
  // Fully escaped forms: URL percent, JS/JSON escapes, HTML character references.
  for (const up of [false, true]) {
    const H = (c: number) => (up ? h2(c).toUpperCase() : h2(c));
    add(eachChar(key, (c) => '%' + H(c)), 'percent', 'escape');
    add(eachChar(key, (c) => '\\x' + H(c)), 'js-escape', 'escape');
    add(eachChar(key, (c) => '\\u00' + H(c)), 'js-escape', 'escape');
    add(eachChar(key, (c) => '\\u{' + H(c) + '}'), 'js-escape', 'escape');
    add(eachChar(key, (c) => '&#x' + H(c) + ';'), 'html-entity', 'escape');
    add(eachChar(key, (c) => '0x' + H(c) + ','), 'char-codes', 'char-codes');
    add(eachChar(key, (c) => '0x' + H(c) + ', '), 'char-codes', 'char-codes');
  }
  add(eachChar(key, (c) => `&#${c};`), 'html-entity', 'escape');
  add(eachChar(key, (c) => `${c},`), 'char-codes', 'char-codes');
  add(eachChar(key, (c) => `${c}, `), 'char-codes', 'char-codes');
  // Containers that may hold the key in a form no needle covers: base64 of gzip (starts "H4sI")
  // and data: URLs. Found by their start, then decoded and scanned again.
  add(';base64,', 'data-url', 'anchor');
  return out;
}

/**
 * Grams of the key with only some characters escaped as %XX or \\xXX (upper or lower hex), e.g.
 * "s%6B-p%72o…": short escapes between single plain characters leave no 4-byte window that is
 * all plain or all escaped, so these windows are indexed too (each points back to a decode).
 * Returned as little-endian 32-bit grams, sorted, each once.
 */
export function mixedEscapeGrams(key: string): Uint32Array {
  const HEX = '0123456789abcdef0123456789ABCDEF';
  const hex = new Uint8Array(32);
  for (let i = 0; i < 32; i++) hex[i] = HEX.charCodeAt(i);
  // At most 6 windows cross the one or two token boundaries of a 3-token text (of 3..12 bytes).
  const out = new Uint32Array(4 * Math.max(0, key.length - 2) * 6 * 8);
  let m = 0;
  const text = new Uint8Array(12);
  for (let variant = 0; variant < 4; variant++) {
    const slash = variant >= 2; // '%' or '\\x'
    const upper = (variant & 1) * 16;
    for (let i = 0; i + 3 <= key.length; i++) {
      // Three characters, each plain or escaped (not all the same): every 4-byte window that
      // crosses from one to the next. (Windows inside one token are grams of other needles.)
      for (let mask = 1; mask < 7; mask++) {
        let n = 0;
        let b1 = 0;
        let b2 = 0;
        for (let k = 0; k < 3; k++) {
          if (k === 1) b1 = n;
          if (k === 2) b2 = n;
          const c = key.charCodeAt(i + k) & 0xff;
          if (mask & (1 << k)) {
            if (slash) ((text[n++] = 92), (text[n++] = 120));
            else text[n++] = 37;
            text[n++] = hex[upper + (c >> 4)];
            text[n++] = hex[upper + (c & 15)];
          } else text[n++] = c;
        }
        for (let o = 0; o + 4 <= n; o++) {
          if ((b1 > o && b1 < o + 4) || (b2 > o && b2 < o + 4)) out[m++] = (text[o] | (text[o + 1] << 8) | (text[o + 2] << 16) | (text[o + 3] << 24)) >>> 0;
        }
      }
    }
  }
  // Sorted and without repeats (a native sort: no set of numbers to build).
  const all = out.subarray(0, m).sort();
  let u = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[u++] = all[i];
  return all.slice(0, u);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The "sk-proj-"-style prefix: not random, so it never counts towards fragment coverage. */
export function keyPrefixLength(key: string): number {
  const m = /^sk-(?:[a-z]+-)?/.exec(key);
  return m && m[0].length < key.length / 2 ? m[0].length : 0;
}
