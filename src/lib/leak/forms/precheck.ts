// The cheap first look at a gram hit, before verify() (forms/scan.ts). On real bundles almost every
// hit is a look-alike: a table of numbers for the char-code grams, "\u02d1" for the escape grams,
// "base" for the data: URL anchor, "children" for a base64 gram. Rejecting those in verify() cost
// more than the whole scan: verify() is large and runs cold (interpreted, then compiled and
// deoptimized again by each new kind of hit) on tens of thousands of hits in a short CLI run.
// This check touches only typed arrays and small integers, so V8 compiles it once and keeps it;
// it never rejects a hit that verify() could turn into a finding, a fragment or a container (it
// may let through more than needed: verify() decides).
import { HEX_VALUE, quickDecodeCharCodes, quickDecodeEscapes, scratch } from './decode.ts';
import type { Needle, NeedleKind } from './needles.ts';

export const K_EXACT = 0;
export const K_WRAPPED = 1;
export const K_ESCAPE = 2;
export const K_CODES = 3;
export const K_ANCHOR = 4;
export const K_MIXED = 5;

const KIND_CODE: Record<NeedleKind, number> = { exact: K_EXACT, wrapped: K_WRAPPED, escape: K_ESCAPE, 'char-codes': K_CODES, anchor: K_ANCHOR, mixed: K_MIXED };

export interface Precheck {
  /** Per needle: kind code, start in `bytes`, length. */
  kind: Uint8Array;
  start: Int32Array;
  len: Int32Array;
  /** Every needle's bytes, one after the other (needle 0 is the plain key). */
  bytes: Uint8Array;
  keyLength: number;
  prefixLength: number;
  minFragment: number;
  /** Bit sets over the key's random part: pairs (a << 8 | b) and hashed runs of four characters. */
  pairs: Int32Array;
  quads: Int32Array;
}

const quadHash = (a: number, b: number, c: number, d: number) => Math.imul((a << 24) | (b << 16) | (c << 8) | d, 0x9e3779b1) >>> 16;

export function buildPrecheck(needles: Needle[], key: string, prefixLength: number, minFragment: number): Precheck {
  const n = needles.length;
  const kind = new Uint8Array(n);
  const start = new Int32Array(n);
  const len = new Int32Array(n);
  let total = 0;
  // A lazy needle (ciphers.ts) contributes its head: the precheck looks at most LOOK bytes past a gram.
  const view = (nd: Needle) => nd.head ?? nd.bytes;
  for (let i = 0; i < n; i++) total += view(needles[i]).length;
  const bytes = new Uint8Array(total);
  let o = 0;
  for (let i = 0; i < n; i++) {
    kind[i] = KIND_CODE[needles[i].kind];
    start[i] = o;
    len[i] = view(needles[i]).length;
    bytes.set(view(needles[i]), o);
    o += len[i];
  }
  const pairs = new Int32Array(2048);
  const quads = new Int32Array(2048);
  for (let i = prefixLength; i + 1 < key.length; i++) {
    const a = key.charCodeAt(i) & 0xff;
    const b = key.charCodeAt(i + 1) & 0xff;
    const pr = (a << 8) | b;
    pairs[pr >>> 5] |= 1 << (pr & 31);
    if (i + 3 < key.length) {
      const h = quadHash(a, b, key.charCodeAt(i + 2) & 0xff, key.charCodeAt(i + 3) & 0xff);
      quads[h >>> 5] |= 1 << (h & 31);
    }
  }
  return { kind, start, len, bytes, keyLength: len[0], prefixLength, minFragment, pairs, quads };
}

/** Bytes a wrapped form may carry between its characters, seen from either side (see skipForward/skipBackward). */
/** Bytes compared on each side of the gram before verify() takes over. */
const LOOK = 8;
// Byte classes by table, not by small predicate functions: each small function V8 sees called
// often gets a compile of its own, and a compile costs milliseconds here.
const SPACE = 1; // white space: a wrapped form skips it one byte at a time
const SKIP = 2; // a byte verify()'s match may skip in some way (white space, \\, quotes, n and r of \\n)
const ESC_START = 4; // % \\ &
const ESC_END = 8; // ; } or a hex digit
const QUOTE = 16; // " ' `
const CLASS = (() => {
  const t = new Uint8Array(256);
  for (const c of [10, 13, 32, 9]) t[c] |= SPACE | SKIP;
  for (const c of [92, 34, 39, 96, 110, 114]) t[c] |= SKIP;
  for (const c of [37, 92, 38]) t[c] |= ESC_START;
  for (const c of [34, 39, 96]) t[c] |= QUOTE;
  for (const c of '0123456789abcdefABCDEF;}') t[c.charCodeAt(0)] |= ESC_END;
  return t;
})();

/**
 * Whether the gram hit at `p` (first candidate `head`) may be anything: false only when verify()
 * would find nothing there.
 */
export function mayMatch(pc: Precheck, buf: Uint8Array, p: number, head: number, candValue: Int32Array, candNext: Int32Array): boolean {
  const n = buf.length;
  const bytes = pc.bytes;
  let escape = false;
  let codes = false;
  for (let k = head; k !== -1; k = candNext[k]) {
    const c = candValue[k];
    const ni = c >> 12;
    const off = (c & 4095) - 64;
    const kind = pc.kind[ni];
    if (kind === K_MIXED) {
      escape = true;
      continue;
    }
    const s = pc.start[ni];
    const len = pc.len[ni];
    if (kind === K_ANCHOR) {
      const at = p - off;
      if (at < 0 || at + len > n) continue;
      let i = 0;
      while (i < len && buf[at + i] === bytes[s + i]) i++;
      if (i === len) return true;
      continue;
    }
    // Up to LOOK bytes after and before the gram, as verify()'s match (matchAround) would see them:
    // equal bytes match; white space a wrapped form skips, one byte at a time, as it does; any
    // other difference fails the match, except a byte it may skip in more complex ways (a
    // backslash, a quote of a string joint: then verify() decides).
    const tolerant = kind !== K_EXACT;
    let miss = false;
    let quoteAfter = -1;
    let quoteBefore = -1;
    for (let i = off + 4, j = p + 4, left = LOOK; i < len && left > 0; ) {
      // Past the end: an exact form fails; a wrapped one is left to verify().
      if (j >= n) {
        miss = !tolerant;
        break;
      }
      const b = buf[j];
      if (b === bytes[s + i]) {
        (i++, j++, left--);
        continue;
      }
      const cl = tolerant ? CLASS[b] : 0;
      if ((cl & SPACE) !== 0) {
        (j++, left--);
        continue;
      }
      // A quote is skipped only as a string joint (`" + "`, `', '`): looked at below.
      miss = (cl & SKIP) === 0;
      if ((cl & QUOTE) !== 0) quoteAfter = j;
      break;
    }
    for (let i = off - 1, j = p - 1, left = LOOK; !miss && i >= 0 && left > 0; ) {
      if (j < 0) {
        miss = !tolerant;
        break;
      }
      const b = buf[j];
      if (b === bytes[s + i]) {
        (i--, j--, left--);
        continue;
      }
      const cl = tolerant ? CLASS[b] : 0;
      if ((cl & SPACE) !== 0) {
        (j--, left--);
        continue;
      }
      miss = (cl & SKIP) === 0;
      if ((cl & QUOTE) !== 0) quoteBefore = j;
      break;
    }
    // A quote where the match stopped: a string joint, or the match fails there (one call: the
    // joint test is rare, and each call site of it would be compiled into this function).
    if (!miss && (quoteAfter >= 0 || quoteBefore >= 0)) miss = !jointsAt(buf, quoteAfter, quoteBefore);
    if (!miss) return true;
    if (ni === 0) {
      // A run of the plain key: a fragment when long enough, or the plain part of a partly escaped key.
      let i = off;
      let j = p;
      while (i < len && j < n && buf[j] === bytes[s + i]) (i++, j++);
      let a = off - 1;
      let q = p - 1;
      while (a >= 0 && q >= 0 && buf[q] === bytes[s + a]) (a--, q--);
      const from = a + 1 > pc.prefixLength ? a + 1 : pc.prefixLength;
      if (i - from >= pc.minFragment) return true;
      // The plain part of a partly escaped key: an escape starts right after the run, or ends right before it.
      if ((j < n && (CLASS[buf[j]] & ESC_START) !== 0) || (q >= 0 && escapeEndsAt(buf, q))) escape = true;
    } else if (kind === K_ESCAPE) escape = true;
    else if (kind === K_CODES) codes = true;
  }
  const ws = p > 32 ? p - 32 : 0;
  const we = p + 36 < n ? p + 36 : n;
  // The neighbourhood decoded (escapes, then char codes), and four characters in a row that may be
  // four in a row of the key's random part. Written out here, not as a function called twice: V8
  // compiled such a function on its own while mayMatch still ran interpreted, then again inside
  // mayMatch (each compile ~2 ms of CPU).
  const pairs = pc.pairs;
  for (let t = 0; t < 2; t++) {
    if (t === 0 ? !escape : !codes) continue;
    const m = t === 0 ? quickDecodeEscapes(buf, ws, we) : quickDecodeCharCodes(buf, ws, we);
    let run = 0; // characters ending at i that chain through pairs of the key
    for (let i = 1; i < m; i++) {
      const a = scratch[i - 1];
      const b = scratch[i];
      const pr = (a << 8) | b;
      if ((a | b) < 256 && (pairs[pr >>> 5] & (1 << (pr & 31))) !== 0) {
        run = run === 0 ? 2 : run + 1;
        if (run >= 4) {
          const h = Math.imul((scratch[i - 3] << 24) | (scratch[i - 2] << 16) | (a << 8) | b, 0x9e3779b1) >>> 16; // quadHash
          if ((pc.quads[h >>> 5] & (1 << (h & 31))) !== 0) return true;
        }
      } else run = 0;
    }
  }
  return false;
}

/**
 * Whether the quotes at buf[after] (-1: none) and buf[before] (-1: none) each start (after) or end
 * (before) a string joint that verify()'s match skips: the quote, white space, + or a comma, white
 * space, a quote (see skipForward/skipBackward in scan.ts).
 */
function jointsAt(buf: Uint8Array, after: number, before: number): boolean {
  for (let t = 0; t < 2; t++) {
    const j = t === 0 ? after : before;
    if (j < 0) continue;
    const dir = t === 0 ? 1 : -1;
    let k = j + dir;
    while (k >= 0 && k < buf.length && (CLASS[buf[k]] & SPACE) !== 0 && (k - j) * dir < 40) k += dir;
    if (k < 0 || k >= buf.length || (buf[k] !== 43 && buf[k] !== 44)) return false;
    k += dir;
    while (k >= 0 && k < buf.length && (CLASS[buf[k]] & SPACE) !== 0 && (k - j) * dir < 80) k += dir;
    if (k < 0 || k >= buf.length || (CLASS[buf[k]] & QUOTE) === 0) return false;
  }
  return true;
}

/**
 * Whether an escape ends at buf[q]: ";" of &#N;, "}" of \\u{X}, or the last hex digit of %XX,
 * \\xXX or \\u00XX. (A lone hex digit before a run of the key is just text, and in minified code
 * very common: taking every one for an escape sent thousands of hits to a window decode.)
 */
function escapeEndsAt(buf: Uint8Array, q: number): boolean {
  const c = buf[q];
  if (c === 59 || c === 125) return true;
  if (q < 2 || HEX_VALUE[c] < 0) return false;
  return buf[q - 2] === 37 || (q >= 3 && buf[q - 3] === 92 && (buf[q - 2] === 120 || buf[q - 2] === 88)) || (q >= 5 && buf[q - 5] === 92 && buf[q - 4] === 117);
}
