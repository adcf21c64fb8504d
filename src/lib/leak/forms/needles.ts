// The key's fixed encoded forms ("needles"): every byte string that, found in a file, proves the key
// is there. Built once per key; the scanner searches all of them at once (see gram-index.ts).
// Simple ciphers of the key (ROT-N, Caesar, XOR...) are added by prepareKey from ciphers.ts.
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
  /** The whole needle (for a lazy needle, made on first use: see ciphers.ts). */
  bytes: Uint8Array;
  /** Machine name of the form, as reported in findings. */
  form: string;
  kind: NeedleKind;
  /**
   * Index only the grams at offsets [indexFrom, indexFrom + 4), not every gram: enough for an exact
   * form (any whole occurrence holds an aligned word at one of these four offsets), and it keeps
   * hundreds of cipher variants from filling the bit set (ciphers.ts).
   */
  indexFrom?: number;
  /** The needle's first bytes, for the precheck and the index, when `bytes` is made lazily. */
  head?: Uint8Array;
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

export const B64_BYTES = ascii(B64);
export const B64URL_BYTES = ascii(B64URL);
export const HEX_LOWER = ascii('0123456789abcdef');
export const HEX_UPPER = ascii('0123456789ABCDEF');

// The needles are built as bytes, without per-character strings or callbacks: this runs once per
// process before anything is compiled, so it must be cheap as plain interpreted code.

export function encodeBase64(bytes: Uint8Array, alphabet: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((bytes.length * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = alphabet[n >> 18];
    out[o++] = alphabet[(n >> 12) & 63];
    out[o++] = alphabet[(n >> 6) & 63];
    out[o++] = alphabet[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out[o++] = alphabet[n >> 18];
    out[o++] = alphabet[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out[o++] = alphabet[n >> 18];
    out[o++] = alphabet[(n >> 12) & 63];
    out[o++] = alphabet[(n >> 6) & 63];
  }
  return out.subarray(0, o);
}

/** base64Core as bytes. */
export function base64CoreBytes(bytes: Uint8Array, shift: number, alphabet: Uint8Array): Uint8Array {
  const padded = new Uint8Array(shift + bytes.length);
  padded.set(bytes, shift);
  const enc = encodeBase64(padded, alphabet);
  const first = Math.ceil((8 * shift) / 6);
  const last = Math.floor((8 * (shift + bytes.length)) / 6);
  return enc.slice(first, last);
}

/**
 * The part of base64(anything + bytes + anything) that depends only on `bytes`, when `bytes`
 * starts `shift` bytes (0, 1 or 2) after a 3-byte boundary: the same text appears in every
 * stream that carries the key at that alignment.
 */
export function base64Core(bytes: Uint8Array, shift: number, alphabet: string): string {
  return latin1Of(base64CoreBytes(bytes, shift, ascii(alphabet)));
}

function latin1Of(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode.apply(null, b.subarray(i, i + 4096) as unknown as number[]);
  return s;
}

export function hexBytes(bytes: Uint8Array, digits: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 15];
  }
  return out;
}

function rot13Bytes(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    out[i] = c >= 65 && c <= 90 ? ((c - 52) % 26) + 65 : c >= 97 && c <= 122 ? ((c - 84) % 26) + 97 : c;
  }
  return out;
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

/**
 * Each character code `c` of `codes` written as `pre` + c (two hex digits of `digits`, or decimal
 * when `digits` is null) + `post`: "%6b", "\\u{6B}", "&#107;", "107, "...
 */
function escaped(codes: Uint16Array, pre: string, digits: Uint8Array | null, post: string): Uint8Array {
  const preB = ascii(pre);
  const postB = ascii(post);
  const out = new Uint8Array(codes.length * (preB.length + postB.length + 5));
  let o = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    for (let j = 0; j < preB.length; j++) out[o++] = preB[j];
    if (digits) {
      // As c.toString(16).padStart(2, '0'): at least two digits.
      if (c > 0xfff) out[o++] = digits[c >> 12];
      if (c > 0xff) out[o++] = digits[(c >> 8) & 15];
      out[o++] = digits[(c >> 4) & 15];
      out[o++] = digits[c & 15];
    } else {
      if (c >= 10000) out[o++] = 48 + Math.floor(c / 10000);
      if (c >= 1000) out[o++] = 48 + (Math.floor(c / 1000) % 10);
      if (c >= 100) out[o++] = 48 + (Math.floor(c / 100) % 10);
      if (c >= 10) out[o++] = 48 + (Math.floor(c / 10) % 10);
      out[o++] = 48 + (c % 10);
    }
    for (let j = 0; j < postB.length; j++) out[o++] = postB[j];
  }
  return out.slice(0, o);
}

/** Every fixed form of `key` the scanner looks for. */
export function buildNeedles(key: string): Needle[] {
  const out: Needle[] = [];
  const seen = new Set<string>();
  const add = (bytes: Uint8Array, form: string, kind: NeedleKind) => {
    const id = latin1Of(bytes);
    if (id.length < 8 || seen.has(id)) return; // base64 and base64url agree when no + or / occurs
    seen.add(id);
    out.push({ bytes, form, kind });
  };
  const k = utf8(key);
  // The key's characters (UTF-16 code units, as key.charCodeAt gives them) for the escaped forms.
  const codes = new Uint16Array(key.length);
  for (let i = 0; i < key.length; i++) codes[i] = key.charCodeAt(i);
  add(k, 'plain', 'exact');
  add(ascii([...key].reverse().join('')), 'reversed', 'exact');
  add(rot13Bytes(ascii(key)), 'rot13', 'exact');
  add(hexBytes(k, HEX_LOWER), 'hex', 'wrapped');
  add(hexBytes(k, HEX_UPPER), 'hex', 'wrapped');
  add(utf16(key, true), 'utf16le', 'exact');
  add(utf16(key, false), 'utf16be', 'exact');
  for (const [alphabet, form] of [[B64_BYTES, 'base64'], [B64URL_BYTES, 'base64url']] as const) {
    for (let shift = 0; shift < 3; shift++) add(base64CoreBytes(k, shift, alphabet), form, 'wrapped');
  }
  // base64 of base64 (std or url inside, std or url outside), every alignment of both.
  for (const [inner, innerName] of [[B64_BYTES, 'base64'], [B64URL_BYTES, 'base64url']] as const) {
    for (let s1 = 0; s1 < 3; s1++) {
      const mid = base64CoreBytes(k, s1, inner);
      for (const [outer, outerName] of [[B64_BYTES, 'base64'], [B64URL_BYTES, 'base64url']] as const) {
        for (let s2 = 0; s2 < 3; s2++) add(base64CoreBytes(mid, s2, outer), `${outerName}>${innerName}`, 'wrapped');
      }
    }
  }
  // base64 of UTF-16LE text (PowerShell -EncodedCommand, .NET Convert.ToBase64String(Unicode)).
  const k16 = utf16(key, true);
  for (let shift = 0; shift < 3; shift++) add(base64CoreBytes(k16, shift, B64_BYTES), 'base64>utf16le', 'wrapped');
  // Fully escaped forms: URL percent, JS/JSON escapes, HTML character references.
  for (const H of [HEX_LOWER, HEX_UPPER]) {
    add(escaped(codes, '%', H, ''), 'percent', 'escape');
    add(escaped(codes, '\\x', H, ''), 'js-escape', 'escape');
    add(escaped(codes, '\\u00', H, ''), 'js-escape', 'escape');
    add(escaped(codes, '\\u{', H, '}'), 'js-escape', 'escape');
    add(escaped(codes, '&#x', H, ';'), 'html-entity', 'escape');
    add(escaped(codes, '0x', H, ','), 'char-codes', 'char-codes');
    add(escaped(codes, '0x', H, ', '), 'char-codes', 'char-codes');
  }
  add(escaped(codes, '&#', null, ';'), 'html-entity', 'escape');
  add(escaped(codes, '', null, ','), 'char-codes', 'char-codes');
  add(escaped(codes, '', null, ', '), 'char-codes', 'char-codes');
  // Containers that may hold the key in a form no needle covers: base64 of gzip (starts "H4sI")
  // and data: URLs. Found by their start, then decoded and scanned again.
  add(ascii(';base64,'), 'data-url', 'anchor');
  return out;
}

/**
 * Grams of the key with only some characters escaped as %XX or \\xXX (upper or lower hex), e.g.
 * "s%6B-p%72o…": short escapes between single plain characters leave no 4-byte window that is
 * all plain or all escaped, so these windows are indexed too (each points back to a decode).
 * Returned as little-endian 32-bit grams, sorted, each once.
 */
export function mixedEscapeGrams(key: string): Uint32Array {
  const hex = ascii('0123456789abcdef0123456789ABCDEF');
  // At most 6 windows cross the one or two token boundaries of a 3-token text (of 3..12 bytes).
  const out = new Uint32Array(4 * Math.max(0, key.length - 2) * 6 * 6);
  const text = new Uint8Array(12);
  let m = 0;
  // One short call per position (not one long loop): V8 compiles a function called often to
  // baseline code at once, while a long loop runs interpreted until an optimizing compile that
  // costs more than this whole function.
  for (let variant = 0; variant < 4; variant++) {
    for (let i = 0; i + 3 <= key.length; i++) m = mixedAt(key, i, variant, hex, text, out, m);
  }
  // Sorted and without repeats (a native sort: no set of numbers to build).
  const all = out.subarray(0, m).sort();
  let u = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[u++] = all[i];
  return all.slice(0, u);
}

/**
 * The mixed grams of key[i, i + 3) for one escape variant (0: %xx, 1: %XX, 2: \\xhh, 3: \\xHH):
 * each of the three characters plain or escaped (not all the same), every 4-byte window that
 * crosses from one to the next. (Windows inside one token are grams of other needles.)
 */
function mixedAt(key: string, i: number, variant: number, hex: Uint8Array, text: Uint8Array, out: Uint32Array, m: number): number {
  const slash = variant >= 2;
  const upper = (variant & 1) * 16;
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
    // From the second position on, only windows that reach the third character: the others lie in
    // the first two, which the previous position gave already as its second and third (in every
    // plain/escaped combination: for any two, one state of its first makes the three mixed).
    for (let o = i === 0 || b2 < 3 ? 0 : b2 - 3; o + 4 <= n; o++) {
      if ((b1 > o && b1 < o + 4) || (b2 > o && b2 < o + 4)) out[m++] = (text[o] | (text[o + 1] << 8) | (text[o + 2] << 16) | (text[o + 3] << 24)) >>> 0;
    }
  }
  return m;
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
