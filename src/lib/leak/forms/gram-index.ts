// A multi-needle filter over 4-byte "grams". Every needle (and every fragment of the plain key) is
// long enough to contain a 4-byte gram starting at a multiple of 4, so the scanner reads the input
// one aligned 32-bit word at a time — a quarter of the work of a byte loop — and looks each word up
// in a 256 KiB bit set (it stays in L2 cache: 512 KiB did not, and cost ~15% of a scan). Only
// words whose bit is set go on to an exact lookup (an open-addressing table of typed arrays: built
// in a few ms, no per-entry objects) and verification.
import type { Needle } from './needles.ts';

export const HASH_BITS = 21;
const SHIFT = 32 - HASH_BITS;

/** The gram of 4 bytes, as a little-endian Uint32Array read would see it. */
export function gramAt(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

export function gramHash(g: number): number {
  return Math.imul(g, 0x9e3779b1) >>> SHIFT;
}

/** A candidate: needle `needle` would start `offset` bytes before the gram (may be negative). */
export const packCandidate = (needle: number, offset: number) => needle * 4096 + offset + 64;
export const candidateNeedle = (c: number) => Math.floor(c / 4096);
export const candidateOffset = (c: number) => (c % 4096) - 64;

export interface GramIndex {
  bits: Int32Array;
  /** Open-addressing table: gram → first candidate (or -1). */
  slotGram: Uint32Array;
  slotHead: Int32Array;
  mask: number;
  /** 32 - log2(table size): slots come from the high bits of the product (see slotOf). */
  shift: number;
  /** Candidate chains: value and next (-1 ends), in the order the candidates were added. */
  candValue: Int32Array;
  candNext: Int32Array;
  size: number;
}

/**
 * Home slot of gram `g`: the HIGH bits of the product. (The low bits of g * c depend only on the
 * low bits of g — the gram's first two bytes — so every ",1xx" gram of a char-code list would
 * pile into one long probe run.)
 */
const slotOf = (g: number, shift: number) => Math.imul(g, 0x85ebca6b) >>> shift;

/** First candidate index for gram `g`, or -1 (walk the chain with candNext). */
export function lookup(ix: GramIndex, g: number): number {
  let h = slotOf(g, ix.shift);
  for (;;) {
    const head = ix.slotHead[h];
    if (head === -1) return -1;
    if (ix.slotGram[h] === g) return head;
    h = (h + 1) & ix.mask;
  }
}

/**
 * The index of every gram of every needle (each needle offset is one candidate), then the `extra`
 * (gram, candidate) pairs, which must be distinct. Chains list candidates in that order. Built in
 * one pass over typed arrays: this runs once per process, before anything is compiled, so it must
 * be cheap as plain interpreted code (no per-entry objects, closures or sets).
 */
export function buildGramIndex(needles: Needle[], extraGrams: Uint32Array, extraCands: Int32Array): GramIndex {
  if (needles.length >= 1 << 18) throw new Error('too many needles for the gram index');
  // One look at each needle (2,300 of them, of three classes: property reads here are megamorphic
  // and interpreted): where its grams are, and whether sparse.
  const count = needles.length;
  const src: Uint8Array[] = new Array(count);
  const from = new Int32Array(count);
  const to = new Int32Array(count);
  const sparse = new Uint8Array(count);
  let n = extraGrams.length;
  for (let i = 0; i < count; i++) {
    const nd = needles[i];
    const b = nd.head ?? nd.bytes;
    const all = b.length > 3 ? b.length - 3 : 0;
    const at = nd.indexFrom;
    src[i] = b;
    if (at === undefined) {
      to[i] = all;
      sparse[i] = i > 0 && nd.kind !== 'anchor' && nd.kind !== 'mixed' ? 1 : 0; // sparse: see below
    } else {
      from[i] = at < all ? at : all;
      to[i] = at + 4 < all ? at + 4 : all;
    }
    n += to[i] - from[i]; // an upper bound when sparse
  }
  // Entries in insertion order: candValue[e] is the candidate of entry e, grams[e] its gram.
  const grams = new Uint32Array(n);
  const candValue = new Int32Array(n);
  let e = 0;
  for (let ni = 0; ni < count; ni++) e = needleEntries(src[ni], ni, from[ni], to[ni], sparse[ni] === 1, grams, candValue, e);
  grams.set(extraGrams, e);
  candValue.set(extraCands, e);
  const used = e + extraGrams.length;
  for (let size = 1024; ; size <<= 1) {
    if (size < used) continue;
    const ix = fill(grams.subarray(0, used), candValue.subarray(0, used), size);
    if (ix) return ix;
  }
}

// Sparse needles (buildGramIndex) are indexed at half their offsets (0-3 mod 8): a whole
// occurrence, or any unbroken stretch of 11 bytes of one (a wrapped line, a string piece, two
// escaped characters in a row of a partly escaped key, a few numbers of a char-code list), still
// holds an aligned word at one of them. Not the plain key (a fragment of 8 characters must be seen
// anywhere), nor anchors and mixed grams, nor needles indexed at four offsets (`indexFrom`).

/** The grams of needle `ni` (bytes `b`) at offsets [from, to) as entries from `e` on (with `sparse`, only offsets 0-3 mod 8); returns the next entry. */
function needleEntries(b: Uint8Array, ni: number, from: number, to: number, sparse: boolean, grams: Uint32Array, candValue: Int32Array, e: number): number {
  for (let off = from; off < to; off++) {
    if (sparse && (off & 7) > 3) continue;
    grams[e] = (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
    candValue[e++] = ni * 4096 + off + 64;
  }
  return e;
}

/** The table of `size` slots for the entries, or null when more than half the slots would be used. */
function fill(grams: Uint32Array, candValue: Int32Array, size: number): GramIndex | null {
  const n = grams.length;
  const bits = new Int32Array(1 << (HASH_BITS - 5));
  const slotGram = new Uint32Array(size);
  const slotHead = new Int32Array(size).fill(-1);
  const candNext = new Int32Array(n);
  const mask = size - 1;
  const shift = 32 - Math.log2(size);
  const ix: GramIndex = { bits, slotGram, slotHead, mask, shift, candValue, candNext, size: 0 };
  // Backwards, each entry put in front of its chain: chains come out in insertion order. In short
  // runs: a function called many times is compiled (baseline) early, one long loop is interpreted.
  for (let e = n; e > 0; e -= 512) {
    ix.size = insertEntries(ix, grams, Math.max(0, e - 512), e, ix.size);
    if (ix.size * 2 > size) return null;
  }
  return ix;
}

/** Inserts entries [from, to) from the last to the first; returns the number of slots used. */
function insertEntries(ix: GramIndex, grams: Uint32Array, from: number, to: number, used: number): number {
  const { bits, slotGram, slotHead, candNext, mask, shift } = ix;
  for (let e = to - 1; e >= from; e--) {
    const g = grams[e];
    const h0 = Math.imul(g, 0x9e3779b1) >>> SHIFT;
    bits[h0 >>> 5] |= 1 << (h0 & 31);
    let h = Math.imul(g, 0x85ebca6b) >>> shift;
    for (;;) {
      const head = slotHead[h];
      if (head === -1) {
        used++;
        slotGram[h] = g;
        candNext[e] = -1;
        slotHead[h] = e;
        break;
      }
      if (slotGram[h] === g) {
        candNext[e] = head;
        slotHead[h] = e;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  return used;
}

/** Grams by which the start of base64 gzip ("H4sI…") is seen at every alignment, with their candidates. */
export function gzipBase64Grams(needle: number): { grams: Uint32Array; cands: Int32Array } {
  const B = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  // The 5th character carries the FLG byte's top bits: A (none), B, C (FNAME), D, E (FCOMMENT)...
  const C5 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef';
  const grams = new Uint32Array(1 + 256 + C5.length * (1 + B.length));
  const cands = new Int32Array(grams.length);
  const H = 72, FOUR = 52, S = 115, I = 73; // H 4 s I
  let n = 0;
  const add = (a: number, b: number, c: number, d: number, offset: number) => {
    grams[n] = (a | (b << 8) | (c << 16) | (d << 24)) >>> 0;
    cands[n++] = packCandidate(needle, offset);
  };
  add(H, FOUR, S, I, 0);
  for (let x = 0; x < 256; x++) add(x, H, FOUR, S, -1);
  for (let i = 0; i < C5.length; i++) {
    const c5 = C5.charCodeAt(i);
    add(FOUR, S, I, c5, 1);
    for (let j = 0; j < B.length; j++) add(S, I, c5, B.charCodeAt(j), 2);
  }
  return { grams, cands };
}
