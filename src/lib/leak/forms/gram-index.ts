// A multi-needle filter over 4-byte "grams". Every needle (and every fragment of the plain key) is
// long enough to contain a 4-byte gram starting at a multiple of 4, so the scanner reads the input
// one aligned 32-bit word at a time — a quarter of the work of a byte loop — and looks each word up
// in a 512 KiB bit set. Only words whose bit is set go on to an exact lookup (an open-addressing
// table of typed arrays: built in a few ms, no per-entry objects) and verification.
import type { Needle } from './needles.ts';

export const HASH_BITS = 22;
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

export class GramIndexBuilder {
  private bits = new Int32Array(1 << (HASH_BITS - 5));
  private slotGram: Uint32Array;
  private slotHead: Int32Array;
  private slotTail: Int32Array;
  private mask: number;
  private shift: number;
  private candValue: Int32Array;
  private candNext: Int32Array;
  private n = 0;
  private grams = 0;
  constructor(expected: number) {
    let size = 1024;
    while (size < expected * 2) size <<= 1;
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.slotGram = new Uint32Array(size);
    this.slotHead = new Int32Array(size).fill(-1);
    this.slotTail = new Int32Array(size);
    this.candValue = new Int32Array(expected + 16);
    this.candNext = new Int32Array(expected + 16);
  }
  /** Adds candidate `c` for gram `g`; each (g, c) pair must be added once (callers dedupe). */
  add(g: number, c: number): void {
    const h0 = gramHash(g);
    this.bits[h0 >>> 5] |= 1 << (h0 & 31);
    let h = slotOf(g, this.shift);
    for (;;) {
      const head = this.slotHead[h];
      if (head === -1) break;
      if (this.slotGram[h] === g) {
        // Appended at the tail: chains list candidates in the order they were added.
        this.push(c, -1);
        this.candNext[this.slotTail[h]] = this.n - 1;
        this.slotTail[h] = this.n - 1;
        return;
      }
      h = (h + 1) & this.mask;
    }
    if (this.grams * 2 > this.mask) throw new Error('gram index full');
    this.grams++;
    this.slotGram[h] = g;
    this.push(c, -1);
    this.slotHead[h] = this.n - 1;
    this.slotTail[h] = this.n - 1;
  }
  private push(c: number, next: number): void {
    if (this.n === this.candValue.length) {
      const v = new Int32Array(this.n * 2);
      v.set(this.candValue);
      const x = new Int32Array(this.n * 2);
      x.set(this.candNext);
      this.candValue = v;
      this.candNext = x;
    }
    this.candValue[this.n] = c;
    this.candNext[this.n] = next;
    this.n++;
  }
  build(): GramIndex {
    return { bits: this.bits, slotGram: this.slotGram, slotHead: this.slotHead, mask: this.mask, shift: this.shift, candValue: this.candValue, candNext: this.candNext, size: this.grams };
  }
}

export function buildGramIndex(needles: Needle[], extra: Array<{ gram: number; candidate: number }> = []): GramIndex {
  if (needles.length >= 256) throw new Error('too many needles for the gram index');
  let total = extra.length;
  for (const n of needles) total += n.bytes.length;
  const b = new GramIndexBuilder(total);
  needles.forEach((n, ni) => {
    const bytes = n.bytes;
    for (let off = 0; off + 4 <= bytes.length; off++) b.add(gramAt(bytes, off), packCandidate(ni, off));
  });
  // Needle grams are unique (needle, offset) pairs by construction; extras may repeat.
  const seen = new Set<number>();
  for (const e of extra) {
    const id = e.gram * 0x100000 + e.candidate; // candidates stay below 2^20 (< 256 needles)
    if (seen.has(id)) continue;
    seen.add(id);
    b.add(e.gram, e.candidate);
  }
  return b.build();
}

/** Grams by which the start of base64 gzip ("H4sI…") is seen at every alignment. */
export function gzipBase64Grams(needle: number): Array<{ gram: number; candidate: number }> {
  const out: Array<{ gram: number; candidate: number }> = [];
  const g = (s: number[]) => (s[0] | (s[1] << 8) | (s[2] << 16) | (s[3] << 24)) >>> 0;
  const c = (ch: string) => ch.charCodeAt(0);
  const B = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  out.push({ gram: g([c('H'), c('4'), c('s'), c('I')]), candidate: packCandidate(needle, 0) });
  for (let x = 0; x < 256; x++) out.push({ gram: g([x, c('H'), c('4'), c('s')]), candidate: packCandidate(needle, -1) });
  // The 5th character carries the FLG byte's top bits: A (none), B, C (FNAME), D, E (FCOMMENT)...
  for (const c5 of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef') {
    out.push({ gram: g([c('4'), c('s'), c('I'), c(c5)]), candidate: packCandidate(needle, 1) });
    for (const c6 of B) out.push({ gram: g([c('s'), c('I'), c(c5), c(c6)]), candidate: packCandidate(needle, 2) });
  }
  return out;
}
