// The one pass over the bytes. Reads aligned 32-bit words, filters them through the gram bit set,
// and verifies the rare hits: a needle match (tolerant of line wrapping where the form allows it),
// a fragment of the plain key, a decoded neighbourhood (mixed escapes, char codes), or the start of
// a container (base64 gzip, data: URL) to decode later. Synchronous and allocation-free on the
// common path; everything here is pure TypeScript.
import { ascii, buildNeedles, keyPrefixLength, mixedEscapeGrams, type Needle } from './needles.ts';
import { buildGramIndex, candidateNeedle, candidateOffset, gramAt, gzipBase64Grams, lookup, packCandidate, type GramIndex } from './gram-index.ts';
import { base64RunEnd, decodeBase64Run, decodeCharCodes, decodeEscapes, latin1, quickDecodeCharCodes, quickDecodeEscapes, scratch, type Decoded } from './decode.ts';
import { buildPrecheck, mayMatch, type Precheck } from './precheck.ts';
import { cipherNeedles } from './ciphers.ts';

import { MIN_FRAGMENT } from '../fragments.ts';

export interface PreparedKey {
  key: string;
  keyBytes: Uint8Array;
  needles: Needle[];
  index: GramIndex;
  prefixLength: number;
  utf16be?: Uint8Array;
  /** Every 4 consecutive characters of the key's random part: a cheap test before decoding a neighbourhood. */
  quads: Set<number>;
  /** Typed-array view of the needles for the first look at a hit (precheck.ts). */
  precheck: Precheck;
  /** Whether warmUp() ran (before the first large input: small ones are not worth compiling for). */
  warm?: boolean;
}

export interface Hit {
  start: number;
  end: number;
  form: string;
}

/** A run of the plain key found on its own: key[keyStart, keyEnd) at bytes [start, end). */
export interface Piece {
  keyStart: number;
  keyEnd: number;
  start: number;
  end: number;
}

export interface Container {
  kind: 'base64-gzip' | 'data-url';
  /** Where the container's text starts (for line and column) and its payload. */
  start: number;
  payload: number;
  end: number;
  mime: string;
}

export interface ScanResult {
  hits: Hit[];
  pieces: Piece[];
  containers: Container[];
}

const cache = new Map<string, PreparedKey>();

/** Needles and gram index for `key`, built once and kept for the last few keys. */
export function prepareKey(key: string): PreparedKey {
  let pk = cache.get(key);
  if (pk) return pk;
  if (key.length < 16) throw new Error(`The key to look for is only ${key.length} characters long: pass the whole planted key (sk-proj-…).`);
  const needles = buildNeedles(key);
  // Simple ciphers (ROT-N, Caesar shifts, single-byte XOR, ...).
  for (const nd of cipherNeedles(ascii(key), keyPrefixLength(key))) needles.push(nd);
  needles.push({ bytes: ascii('H4sI'), form: 'base64-gzip', kind: 'anchor' });
  const gz = gzipBase64Grams(needles.length - 1);
  needles.push({ bytes: new Uint8Array(0), form: 'mixed-escape', kind: 'mixed' });
  const mixed = mixedEscapeGrams(key);
  // Extra (gram, candidate) pairs: the gzip starts, then each mixed-escape gram once.
  const extraGrams = new Uint32Array(gz.grams.length + mixed.length);
  const extraCands = new Int32Array(extraGrams.length);
  extraGrams.set(gz.grams);
  extraCands.set(gz.cands);
  extraGrams.set(mixed, gz.grams.length);
  extraCands.fill(packCandidate(needles.length - 1, 0), gz.grams.length);
  const index = buildGramIndex(needles, extraGrams, extraCands);
  const utf16be = needles.find((n) => n.form === 'utf16be')?.bytes;
  // Only the random part: "pro" or "sk-" are everywhere in code.
  const quads = new Set<number>();
  for (let i = keyPrefixLength(key); i + 4 <= key.length; i++) {
    quads.add(key.charCodeAt(i) * 0x1000000 + key.charCodeAt(i + 1) * 0x10000 + key.charCodeAt(i + 2) * 0x100 + key.charCodeAt(i + 3));
  }
  const prefixLength = keyPrefixLength(key);
  pk = { key, keyBytes: needles[0].bytes, needles, index, prefixLength, utf16be, quads, precheck: buildPrecheck(needles, key, prefixLength, MIN_FRAGMENT) };
  if (cache.size >= 8) cache.delete(cache.keys().next().value as string);
  cache.set(key, pk);
  return pk;
}

interface State {
  decodedUntil: number;
  codesUntil: number;
}

/** Scans `input` once. Positions in the result are offsets into `input`. */
export function scanBuffer(pk: PreparedKey, input: Uint8Array): ScanResult {
  const res: ScanResult = { hits: [], pieces: [], containers: [] };
  if (input.length < 4) return res;
  // Uint32Array needs 4-byte alignment; a copy is cheap next to the scan. (Grams are little-endian,
  // as on every platform this runs on.)
  const buf = (input.byteOffset & 3) === 0 ? input : input.slice();
  const nw = buf.length >>> 2;
  const words = new Uint32Array(buf.buffer, buf.byteOffset, nw);
  if (!pk.warm && buf.length >= WARM_UP_FROM) {
    pk.warm = true;
    warmUp(pk);
  }
  const ix = pk.index;
  const pc = pk.precheck;
  const state: State = { decodedUntil: 0, codesUntil: 0 };
  for (let w = nextCandidate(words, buf, ix, pc, 0, nw); w < nw; w = nextCandidate(words, buf, ix, pc, w, nw)) {
    const p = w << 2;
    const resume = verify(pk, buf, p, lookup(ix, words[w]), res, state);
    w = resume > p + 4 ? (resume + 3) >>> 2 : w + 1;
  }
  // The last 1-3 bytes are not in any aligned word: look at the final (unaligned) gram too.
  if (buf.length & 3) {
    const p = buf.length - 4;
    const head = lookup(ix, gramAt(buf, p));
    const covered = res.hits.some((h) => h.end > p) || res.pieces.some((x) => x.end > p);
    if (head !== -1 && !covered) verify(pk, buf, p, head, res, state);
  }
  return res;
}

/**
 * The first word at or after `w` where verify() may find something (or `nw`): its gram is in the
 * bit set, then in the table, then the neighbourhood passes mayMatch (precheck.ts). Everything here
 * touches only typed arrays, so V8 optimizes it once and never deoptimizes it; verify() (objects,
 * strings, many kinds of hits) runs only on what passes, a few hundred times per 50 MB, and stays
 * out of the optimized loop: an inlined loop that also held the verification code was deoptimized
 * again and again by the first hits of each new kind, re-running whole files in the interpreter.
 */
function nextCandidate(words: Uint32Array, buf: Uint8Array, ix: GramIndex, pc: Precheck, w: number, nw: number): number {
  const bits = ix.bits;
  const slotGram = ix.slotGram;
  const slotHead = ix.slotHead;
  const mask = ix.mask;
  const shift = ix.shift;
  for (;;) {
    // The tight loop on its own: the next word whose gram is in the bit set. (With the table
    // lookup in the same loop body, V8 compiled the common path about half as fast.)
    let g = 0;
    for (; w < nw; w++) {
      g = words[w];
      const h = Math.imul(g, 0x9e3779b1) >>> 11; // 32 - HASH_BITS
      if ((bits[h >>> 5] & (1 << (h & 31))) !== 0) break;
    }
    if (w >= nw) return nw;
    // The exact table (as lookup() in gram-index.ts).
    let s = Math.imul(g, 0x85ebca6b) >>> shift;
    let head = -1;
    for (;;) {
      const x = slotHead[s];
      if (x === -1) break;
      if (slotGram[s] === g) {
        head = x;
        break;
      }
      s = (s + 1) & mask;
    }
    if (head !== -1 && mayMatch(pc, buf, w << 2, head, ix.candValue, ix.candNext)) return w;
    w++;
  }
}

/** Inputs from this size on get the optimized path warmed up first. */
const WARM_UP_FROM = 64 * 1024;

/**
 * Runs the optimized path above over a small made-up text that takes each of its branches, a few
 * times: V8 then compiles it with feedback for every branch, not just the ones the first
 * file happened to take (a branch taken first after compilation deoptimizes the whole function).
 */
function warmUp(pk: PreparedKey): void {
  const parts: string[] = [];
  // First (V8 marks mayMatch for compiling while this text is still being scanned): a wrapped
  // needle with a line break on each side of a gram, at every alignment, so that the white space
  // skips of mayMatch's forward and backward loops have run. (The backward one had not: the first
  // wrapped form broken across lines in a real file deoptimized mayMatch, and compiling it again
  // cost 20-40 ms of CPU on the minified corpora of bench:leak.)
  const wrapped = pk.needles.find((nd) => nd.kind === 'wrapped' && !nd.head && nd.bytes.length >= 24);
  if (wrapped) {
    const t = `${latin1(wrapped.bytes, 0, 9)}\n${latin1(wrapped.bytes, 9, 13)}\n${latin1(wrapped.bytes, 13, 24)}`;
    for (let a = 0; a < 4; a++) parts.push(' '.repeat(a + 1) + t);
  }
  const key = pk.key;
  const r = key.slice(pk.prefixLength);
  const esc = (s: string, f: (c: number) => string) => Array.from(s, (c) => f(c.charCodeAt(0))).join('');
  parts.push(`x="${r.slice(0, 12)}";y="${r.slice(20, 25)}%41";z=${esc(r.slice(30, 36), (c) => '\\x' + c.toString(16))};`);
  parts.push(`[${esc(r.slice(40, 46), (c) => `${c}, `)}1, 2, 300, ${r.charCodeAt(50)}, 7];${esc(r.slice(52, 58), (c) => `0x${c.toString(16)},`)}`);
  parts.push(`"${r.slice(60, 62)}%${r.charCodeAt(62).toString(16)}${r.slice(63, 66)}" data:text/plain;base64,QUJDREVGR0hJSktMTU5PUFFS database H4sIAAAAAAAA`);
  // Every escape the quick decoders know, well formed and not.
  parts.push('%6b%6B%zz\\x6b\\X6b\\xzz\\\\x6b\\u006b\\u00zz\\u{6b}\\u{zz&#107;&#x6b;&#X6B;&#;&#x;&#1234567;0x6B,0X6b,0xzz,65536,99999999,');
  for (const nd of pk.needles) {
    const b = nd.head ?? nd.bytes;
    if (b.length < 24) continue;
    let t = '';
    for (let i = 4; i < 16; i++) t += String.fromCharCode(b[i]);
    parts.push(` ${t}#${t.slice(0, 6)}\n${t.slice(6)}~`);
  }
  // Each fixed needle's first 20 bytes at every alignment: a hit whose neighbours match on both
  // sides (mayMatch's backward loop). Without it the first such hit in a real file deoptimized
  // mayMatch, and compiling it again cost ~16 ms of CPU (minified corpora, bench:leak).
  for (const nd of pk.needles) {
    if (nd.head || nd.bytes.length < 24) continue;
    const t = latin1(nd.bytes, 0, 20);
    for (let a = 0; a < 4; a++) parts.push(' '.repeat(a + 1) + t);
  }
  const text = parts.join('\n');
  const buf = new Uint8Array(text.length + 8);
  for (let i = 0; i < text.length; i++) buf[i] = text.charCodeAt(i) & 0xff;
  const words = new Uint32Array(buf.buffer, 0, buf.length >>> 2);
  // V8 collects feedback from a function's 9th call on: each function here is called more often.
  for (let pass = 0; pass < 3; pass++) {
    for (let w = nextCandidate(words, buf, pk.index, pk.precheck, 0, words.length); w < words.length; ) w = nextCandidate(words, buf, pk.index, pk.precheck, w + 1, words.length);
  }
  // Then enough plain words that V8 optimizes the scan loop now, in the background, rather than
  // part-way through the first large file (running it unoptimized until then). In many short
  // calls: one long call had V8 compile the loop for on-stack replacement, then the whole
  // function again for the next call (~5 ms of CPU); short calls get the one whole compile.
  const blank = new Uint8Array(64 * 1024);
  const blankWords = new Uint32Array(blank.buffer);
  for (let pass = 0; pass < 3; pass++) for (let w = 0; w < blankWords.length; w += 64) nextCandidate(blankWords, blank, pk.index, pk.precheck, w, w + 64);
  // The base64 container loops too (a data: URL or base64 gzip runs long: compiled mid-loop, each
  // branch they had not taken yet would undo that compile).
  const box = ascii('x data:text/plain;base64,QUJDREVG\\nR0hJ\r\nSktMTU5P==; H4sIQUJDREVGR0hJSktMTU5PUFFS\nVFVW-_+/=" ');
  const anchors = pk.needles.filter((nd) => nd.kind === 'anchor').map((nd) => ({ nd, at: latin1(box).indexOf(latin1(nd.bytes)) }));
  for (let pass = 0; pass < 10; pass++) {
    for (const { nd, at } of anchors) {
      const c = container(box, at, nd);
      if (c) decodeBase64Run(box, c.payload, 1 << 20);
      container(box, 0, nd);
    }
  }
}

function verify(pk: PreparedKey, buf: Uint8Array, p: number, head: number, res: ScanResult, state: State): number {
  let resume = p + 4;
  let plainOffsets: number[] | undefined;
  let escape = false;
  let codes = false;
  const { candValue, candNext } = pk.index;
  // Candidates in the order they were added (as the chain holds them).
  for (let k = head; k !== -1; k = candNext[k]) {
    const c = candValue[k];
    const ni = candidateNeedle(c);
    const off = candidateOffset(c);
    const nd = pk.needles[ni];
    if (nd.kind === 'mixed') {
      escape = true;
      continue;
    }
    if (nd.kind === 'anchor') {
      const cont = container(buf, p - off, nd);
      if (cont) {
        res.containers.push(cont);
        return Math.max(resume, cont.end);
      }
      continue;
    }
    // Most candidates fail on the byte right after the gram: check it here before the full match
    // (unless it is a byte that a wrapped or split form may skip).
    const o = off + 4;
    const b = buf[p + 4];
    const miss = o < nd.bytes.length && b !== nd.bytes[o] && (nd.kind === 'exact' || !mayBeSkipped(b));
    const m = miss ? null : nd.kind === 'exact' ? matchExact(buf, p - off, nd) : matchAround(buf, p, nd.bytes, off, true);
    if (m) {
      // UTF-16BE text holds the little-endian needle one byte later: characters start at even
      // offsets, so an odd start that also matches the big-endian needle is big-endian.
      if (nd.form === 'utf16le' && m[0] & 1 && pk.utf16be && startsAt(buf, m[0] - 1, pk.utf16be)) {
        res.hits.push({ start: m[0] - 1, end: m[1] - 1, form: 'utf16be' });
        return Math.max(resume, m[1]);
      }
      res.hits.push({ start: m[0], end: m[1], form: nd.form });
      return Math.max(resume, m[1]);
    }
    if (ni === 0) (plainOffsets ??= []).push(off);
    else if (nd.kind === 'escape') escape = true;
    else if (nd.kind === 'char-codes') codes = true;
  }
  if (plainOffsets) {
    let best: Piece | undefined;
    for (const off of plainOffsets) {
      const piece = extendPlain(pk.keyBytes, buf, p, off);
      if (!best || piece.keyEnd - piece.keyStart > best.keyEnd - best.keyStart) best = piece;
    }
    if (best) {
      if (best.keyEnd - Math.max(best.keyStart, pk.prefixLength) >= MIN_FRAGMENT) {
        res.pieces.push(best);
        resume = Math.max(resume, best.end);
      }
      // A run of the key that stops at an escape: the rest may be escaped (sk-proj%2D…, \x2d…).
      if (isEscapeStart(buf[best.end]) || isEscapeEnd(buf[best.start - 1])) escape = true;
    }
  }
  // Decoding a whole neighbourhood costs ~100 µs: first decode ±32 bytes and look for any 4
  // characters of the key in a row, which random escapes or number tables almost never give.
  if (escape && p >= state.decodedUntil && localRun(pk, buf, p, quickDecodeEscapes)) {
    const W = 16 * pk.keyBytes.length;
    state.decodedUntil = p + W / 2;
    const end = decodedWindow(pk, buf, p, W, decodeEscapes, res, 3);
    if (end > 0) return Math.max(resume, end);
  }
  if (codes && p >= state.codesUntil && localRun(pk, buf, p, quickDecodeCharCodes)) {
    const W = 24 * pk.keyBytes.length;
    state.codesUntil = p + W / 2;
    const end = decodedWindow(pk, buf, p, W, decodeCharCodes, res, 0);
    if (end > 0) return Math.max(resume, end);
  }
  return resume;
}

function localRun(pk: PreparedKey, buf: Uint8Array, p: number, decode: (b: Uint8Array, s: number, e: number) => number): boolean {
  const n = decode(buf, Math.max(0, p - 32), Math.min(buf.length, p + 36));
  if (n < 4) return false;
  let q = scratch[0] * 0x1000000 + scratch[1] * 0x10000 + scratch[2] * 0x100 + scratch[3];
  for (let i = 4; ; i++) {
    if ((scratch[i - 4] | scratch[i - 3] | scratch[i - 2] | scratch[i - 1]) < 256 && pk.quads.has(q)) return true;
    if (i >= n) return false;
    q = ((q % 0x1000000) * 0x100) + (scratch[i] & 0xff);
  }
}

const isEscapeStart = (c: number | undefined) => c === 37 || c === 92 || c === 38; // % \ &
const isEscapeEnd = (c: number | undefined) => c === 59 || c === 125 || isHexDigit(c); // ; } XX
const isHexDigit = (c: number | undefined) => c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102));

/** Decodes [p - W, p + W) and looks for the plain key in the result. Returns the match end or 0. */
function decodedWindow(
  pk: PreparedKey,
  buf: Uint8Array,
  p: number,
  W: number,
  decode: (s: string) => Decoded,
  res: ScanResult,
  minEscapes: number,
): number {
  const ws = Math.max(0, p - W);
  const we = Math.min(buf.length, p + W);
  if (minEscapes > 0) {
    let n = 0;
    for (let i = ws; i < we && n < minEscapes; i++) {
      const c = buf[i];
      if (c === 37 || c === 92 || c === 38) n++; // isEscapeStart, inline: this loop is long
    }
    if (n < 1) return 0;
  }
  const d = decode(latin1(buf, ws, we));
  const at = d.text.indexOf(pk.key);
  if (at < 0) return 0;
  const start = ws + d.from[at];
  const end = ws + d.from[at + pk.key.length];
  const seen = new Set<string>();
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 37) seen.add('percent');
    else if (c === 92) seen.add('js-escape');
    else if (c === 38) seen.add('html-entity');
  }
  const form = d.kinds.has('char-codes') ? 'char-codes' : [...seen].join('+') || 'plain';
  // A plain match here means the escapes were all outside the key: the plain needle reports it.
  if (form === 'plain') return 0;
  res.hits.push({ start, end, form });
  return end;
}

/** Each exact needle as text (made when first matched): see matchExact. */
const needleText = new WeakMap<Needle, string>();

/**
 * Whether exact needle `nd` is at buf[start, ...): compared as text, a native string comparison. (A
 * loop over the bytes here ran interpreted, then was compiled, for the few hundred hits of a key
 * inlined at every call site: milliseconds of a short audit.)
 */
function matchExact(buf: Uint8Array, start: number, nd: Needle): [number, number] | null {
  const len = nd.bytes.length;
  if (start < 0 || start + len > buf.length) return null;
  let text = needleText.get(nd);
  if (text === undefined) needleText.set(nd, (text = latin1(nd.bytes)));
  return latin1(buf, start, start + len) === text ? [start, start + len] : null;
}

/** Matches `nd` so that nd[off..off+4) sits at buf[p..p+4); `tolerant` skips line breaks. */
function matchAround(buf: Uint8Array, p: number, nd: Uint8Array, off: number, tolerant: boolean): [number, number] | null {
  let i = off;
  let j = p;
  while (i < nd.length) {
    if (j >= buf.length) return null;
    if (buf[j] === nd[i]) {
      i++;
      j++;
      continue;
    }
    if (!tolerant) return null;
    const s = skipForward(buf, j);
    if (!s) return null;
    j += s;
  }
  const end = j;
  i = off - 1;
  j = p - 1;
  while (i >= 0) {
    if (j < 0) return null;
    if (buf[j] === nd[i]) {
      i--;
      j--;
      continue;
    }
    if (!tolerant) return null;
    const s = skipBackward(buf, j);
    if (!s) return null;
    j -= s;
  }
  return [j + 1, end];
}

/**
 * Bytes that a wrapped or split encoded form may carry between its characters: line breaks, JSON
 * "\n", "\/", and string joints — `" + "`, `',\n  '` — where a long literal was cut in pieces.
 */
function skipForward(buf: Uint8Array, j: number): number {
  const c = buf[j];
  if (c === 10 || c === 13 || c === 32 || c === 9) return 1;
  if (c === 92) return buf[j + 1] === 110 || buf[j + 1] === 114 ? 2 : 1;
  if (c === 34 || c === 39 || c === 96) {
    let k = j + 1;
    while (isSpace(buf[k]) && k < j + 40) k++;
    if (buf[k] !== 43 && buf[k] !== 44) return 0; // + or ,
    k++;
    while (isSpace(buf[k]) && k < j + 80) k++;
    return isQuote(buf[k]) ? k + 1 - j : 0;
  }
  return 0;
}

function skipBackward(buf: Uint8Array, j: number): number {
  const c = buf[j];
  if (c === 10 || c === 13 || c === 32 || c === 9 || c === 92) return 1;
  if ((c === 110 || c === 114) && buf[j - 1] === 92) return 2;
  if (isQuote(c)) {
    let k = j - 1;
    while (isSpace(buf[k]) && k > j - 40) k--;
    if (buf[k] !== 43 && buf[k] !== 44) return 0;
    k--;
    while (isSpace(buf[k]) && k > j - 80) k--;
    return isQuote(buf[k]) ? j - k + 1 : 0;
  }
  return 0;
}

/** Bytes where skipForward may skip something (white space, backslash, a quote of a joint). */
const mayBeSkipped = (c: number | undefined) => c === undefined || c === 10 || c === 13 || c === 32 || c === 9 || c === 92 || c === 34 || c === 39 || c === 96;

const isSpace = (c: number | undefined) => c === 32 || c === 10 || c === 13 || c === 9;
const isQuote = (c: number | undefined) => c === 34 || c === 39 || c === 96;

function startsAt(buf: Uint8Array, at: number, nd: Uint8Array): boolean {
  if (at < 0 || at + nd.length > buf.length) return false;
  for (let i = 0; i < nd.length; i++) if (buf[at + i] !== nd[i]) return false;
  return true;
}

function extendPlain(key: Uint8Array, buf: Uint8Array, p: number, off: number): Piece {
  let i = off;
  let j = p;
  while (i < key.length && j < buf.length && buf[j] === key[i]) (i++, j++);
  let a = off - 1;
  let b = p - 1;
  while (a >= 0 && b >= 0 && buf[b] === key[a]) (a--, b--);
  return { keyStart: a + 1, keyEnd: i, start: b + 1, end: j };
}

/** A base64 container starting at `start` (the anchor's position), or null. */
function container(buf: Uint8Array, start: number, nd: Needle): Container | null {
  if (start < 0 || start + nd.bytes.length > buf.length) return null;
  for (let i = 0; i < nd.bytes.length; i++) if (buf[start + i] !== nd.bytes[i]) return null;
  const payload = nd.form === 'data-url' ? start + nd.bytes.length : start;
  let end = base64RunEnd(buf, payload);
  while (buf[end] === 61) end++;
  if (end - payload < 16) return null;
  let mime = '';
  let at = start;
  if (nd.form === 'data-url') {
    const back = latin1(buf, Math.max(0, start - 200), start);
    const d = back.lastIndexOf('data:');
    if (d >= 0) {
      mime = back.slice(d + 5).split(';')[0].toLowerCase();
      at = start - (back.length - d);
    }
  }
  return { kind: nd.form === 'data-url' ? 'data-url' : 'base64-gzip', start: at, payload, end, mime };
}
