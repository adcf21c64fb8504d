// A multi-needle filter over 4-byte "grams". Every needle (and every fragment of the plain key) is
// long enough to contain a 4-byte gram starting at a multiple of 4, so the scanner reads the input
// one aligned 32-bit word at a time — a quarter of the work of a byte loop — and looks each word up
// in a 512 KiB bit set. Only words whose bit is set go on to an exact lookup and verification.
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
  candidates: Map<number, number[]>;
}

export function buildGramIndex(needles: Needle[], extra: Array<{ gram: number; candidate: number }> = []): GramIndex {
  const bits = new Int32Array(1 << (HASH_BITS - 5));
  const candidates = new Map<number, number[]>();
  const add = (g: number, c: number) => {
    const h = gramHash(g);
    bits[h >>> 5] |= 1 << (h & 31);
    const list = candidates.get(g);
    if (!list) candidates.set(g, [c]);
    else if (!list.includes(c)) list.push(c);
  };
  needles.forEach((n, ni) => {
    for (let off = 0; off + 4 <= n.bytes.length; off++) add(gramAt(n.bytes, off), packCandidate(ni, off));
  });
  for (const e of extra) add(e.gram, e.candidate);
  return { bits, candidates };
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
