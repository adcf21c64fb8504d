// "Obfuscations" beginners copy from blog posts, as more needles: letter rotations (ROT-N for every
// N, ROT47), Caesar shifts of the character codes or over the letters and digits, each applied to
// the whole key or only to the random part after "sk-proj-", single-byte XOR (raw, hex, base64),
// and base64 mixed with reversing or ROT13. None of these hides anything: each is one line to undo.
//
// Every one is an exact form, so only four grams of each are indexed (Needle.indexFrom): ~2,300
// variants add about as many index entries as all the other needles, and the bit set stays sparse.
// Only a short head of each is made up front (lazy `bytes`): the whole needle is made when one of
// its grams is seen. Measured cost: ~5 ms more start-up per `leakproof audit` process (~13 ms on a
// loaded machine); see docs/leak-benchmark.md.
// Precision: a needle is the whole ciphered key, so another key under the same cipher never matches.
import { B64_BYTES, B64URL_BYTES, HEX_LOWER, HEX_UPPER, base64CoreBytes, hexBytes, type Needle } from './needles.ts';

/** Letters rotated by n (A-Z and a-z each in their own ring), from byte `from` on. */
function rotLetters(k: Uint8Array, n: number, from: number): Uint8Array {
  const out = k.slice();
  for (let i = from; i < k.length; i++) {
    const c = k[i];
    if (c >= 65 && c <= 90) out[i] = ((c - 65 + n) % 26) + 65;
    else if (c >= 97 && c <= 122) out[i] = ((c - 97 + n) % 26) + 97;
  }
  return out;
}

/** ROT47: every printable character but space rotated by 47 in the ring 33..126. */
function rot47(k: Uint8Array, from: number): Uint8Array {
  const out = k.slice();
  for (let i = from; i < k.length; i++) if (k[i] >= 33 && k[i] <= 126) out[i] = ((k[i] - 33 + 47) % 94) + 33;
  return out;
}

/** Every character code moved by n (String.fromCharCode(c + n)), or null if one leaves 33..126. */
function shiftCodes(k: Uint8Array, n: number, from: number): Uint8Array | null {
  const out = k.slice();
  for (let i = from; i < k.length; i++) {
    const c = k[i] + n;
    if (c < 33 || c > 126) return null;
    out[i] = c;
  }
  return out;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM_INDEX = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < ALNUM.length; i++) t[ALNUM.charCodeAt(i)] = i;
  return t;
})();

/** Caesar over "A-Za-z0-9" as one ring of 62 (what blog posts' alphabet strings do); - and _ stay. */
function shiftAlnum(k: Uint8Array, n: number, from: number): Uint8Array {
  const out = k.slice();
  for (let i = from; i < k.length; i++) {
    const x = ALNUM_INDEX[k[i]];
    if (x >= 0) out[i] = ALNUM.charCodeAt((x + n) % 62);
  }
  return out;
}

function reverseBytes(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b[b.length - 1 - i];
  return out;
}

/**
 * A needle made on first use. `head` is its start (from byte 0 to a few bytes past `indexFrom`),
 * enough for the index and the precheck: made for two thousand variants at every start, so it
 * must stay tiny; the whole needle is made only when one of its grams is seen.
 */
class LazyNeedle implements Needle {
  readonly kind = 'exact' as const;
  readonly form: string;
  readonly head: Uint8Array;
  readonly indexFrom: number;
  private readonly make: () => Uint8Array;
  private made?: Uint8Array;
  constructor(form: string, head: Uint8Array, indexFrom: number, make: () => Uint8Array) {
    this.form = form;
    this.head = head;
    this.indexFrom = indexFrom;
    this.make = make;
  }
  get bytes(): Uint8Array {
    return (this.made ??= this.make());
  }
}

const XOR_RAW = 0;
const XOR_HEX_LOWER = 1;
const XOR_HEX_UPPER = 2;
const XOR_BASE64 = 3;
const XOR_BASE64URL = 4;
const XOR_FORMS = ['xor', 'hex>xor', 'hex>xor', 'base64>xor', 'base64url>xor'];

/** The key XORed with byte `x`, written one way (XOR_*): made whole on first use. */
class XorNeedle implements Needle {
  readonly kind = 'exact' as const;
  readonly indexFrom = 0;
  readonly form: string;
  readonly head: Uint8Array;
  private readonly key: Uint8Array;
  private readonly x: number;
  private readonly how: number;
  private readonly shift: number;
  private made?: Uint8Array;
  constructor(key: Uint8Array, x: number, how: number, shift: number, head: Uint8Array) {
    this.key = key;
    this.x = x;
    this.how = how;
    this.shift = shift;
    this.head = head;
    this.form = XOR_FORMS[how];
  }
  get bytes(): Uint8Array {
    if (this.made) return this.made;
    const b = xorBytes(this.key, this.x);
    const h = this.how;
    this.made = h === XOR_RAW ? b : h <= XOR_HEX_UPPER ? hexBytes(b, h === XOR_HEX_LOWER ? HEX_LOWER : HEX_UPPER) : base64CoreBytes(b, this.shift, h === XOR_BASE64 ? B64_BYTES : B64URL_BYTES);
    return this.made;
  }
}

/** base64Head with this "alphabet" gives the 6-bit values themselves. */
const IDENTITY = Uint8Array.from({ length: 64 }, (_, i) => i);

function xorBytes(k: Uint8Array, x: number, n = k.length): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = k[i] ^ x;
  return out;
}

/** Bytes of the head: the indexed grams are at [from, from + 4), the precheck looks a few bytes further. */
const HEAD_PAST = 8;

/**
 * The first HEAD_PAST characters of base64CoreBytes(b, shift, alphabet), from the first 8 bytes of
 * `b` only, without the allocations of a full encode (this runs 1,500 times per key).
 */
function base64Head(b: Uint8Array, shift: number, alphabet: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEAD_PAST);
  const first = Math.ceil((8 * shift) / 6);
  for (let j = 0; j < HEAD_PAST; j++) {
    const bit = 6 * (first + j) - 8 * shift; // where the character's 6 bits start in b
    const i = bit >> 3;
    const v = (((b[i] << 8) | (b[i + 1] ?? 0)) >> (10 - (bit & 7))) & 63;
    out[j] = alphabet[v];
  }
  return out;
}

/**
 * The cipher needles of key bytes `k` whose first `prefix` bytes are the fixed "sk-proj-" part.
 * The key's plain ROT13 is a needle of its own already (needles.ts).
 */
export function cipherNeedles(k: Uint8Array, prefix: number): Needle[] {
  const out: Needle[] = [];
  const lazy = (form: string, from: number, f: (b: Uint8Array) => Uint8Array | null) => {
    const head = f(k.subarray(0, Math.min(k.length, from + HEAD_PAST)));
    if (head) out.push(new LazyNeedle(form, head, from, () => f(k) as Uint8Array));
  };
  // Whole key, and only the random part (the prefix left as it is: its grams start after it).
  for (const [from, tag] of [[0, ''], [prefix, '-after-prefix']] as const) {
    if (tag && prefix === 0) continue;
    for (let n = 1; n < 26; n++) if (n !== 13 || tag) lazy(`rot${n}${tag}`, from, (b) => rotLetters(b, n, from));
    lazy(`rot47${tag}`, from, (b) => rot47(b, from));
    for (let n = 1; n < 62; n++) lazy(`alnum-shift${n}${tag}`, from, (b) => shiftAlnum(b, n, from));
    // Only shifts that keep every character printable (the smallest and largest code decide).
    let lo = 255;
    let hi = 0;
    for (let i = from; i < k.length; i++) ((lo = Math.min(lo, k[i])), (hi = Math.max(hi, k[i])));
    for (let n = 33 - lo; n <= 126 - hi; n++) if (n !== 0) lazy(`shift${n > 0 ? '+' : ''}${n}${tag}`, from, (b) => shiftCodes(b, n, from));
  }
  // Base64 mixed with the other one-liners: base64 of the reversed or ROT13 key, the base64 reversed.
  const rev = reverseBytes(k);
  const r13 = rotLetters(k, 13, 0);
  for (let shift = 0; shift < 3; shift++) {
    for (const [alphabet, name] of [[B64_BYTES, 'base64'], [B64URL_BYTES, 'base64url']] as const) {
      out.push(new LazyNeedle(`${name}>reversed`, base64Head(rev, shift, alphabet), 0, () => base64CoreBytes(rev, shift, alphabet)));
      out.push(new LazyNeedle(`${name}>rot13`, base64Head(r13, shift, alphabet), 0, () => base64CoreBytes(r13, shift, alphabet)));
    }
    // The base64 text reversed: its head is the end of the base64, so it is made whole (3 of them).
    const core = base64CoreBytes(k, shift, B64_BYTES);
    out.push({ bytes: reverseBytes(core), form: 'reversed>base64', kind: 'exact', indexFrom: 0 });
    const url = core.map((c) => (c === 43 ? 45 : c === 47 ? 95 : c));
    out.push({ bytes: reverseBytes(url), form: 'reversed>base64url', kind: 'exact', indexFrom: 0 });
  }
  // Single-byte XOR: written as hex or base64, or kept as text when the byte is below 32 (then
  // letters, digits, - and _ stay printable text). The heads come from the plain key's: XOR with x
  // flips the same bits of every byte, so each hex digit's value is XORed with a nibble of x and
  // each base64 character's with 6 bits of x repeated (a few operations per head, not an encode).
  const hexVals = new Uint8Array(HEAD_PAST);
  for (let j = 0; j < HEAD_PAST; j++) hexVals[j] = j & 1 ? k[j >> 1] & 15 : k[j >> 1] >> 4;
  const b64Vals = [0, 1, 2].map((shift) => base64Head(k, shift, IDENTITY));
  for (let x = 1; x < 256; x++) {
    if (x < 32) out.push(new XorNeedle(k, x, XOR_RAW, 0, xorBytes(k.subarray(0, HEAD_PAST), x)));
    for (const digits of [HEX_LOWER, HEX_UPPER]) {
      const head = new Uint8Array(HEAD_PAST);
      for (let j = 0; j < HEAD_PAST; j++) head[j] = digits[hexVals[j] ^ (j & 1 ? x & 15 : x >> 4)];
      out.push(new XorNeedle(k, x, digits === HEX_LOWER ? XOR_HEX_LOWER : XOR_HEX_UPPER, 0, head));
    }
    const xxx = (x << 16) | (x << 8) | x;
    for (let shift = 0; shift < 3; shift++) {
      const std = new Uint8Array(HEAD_PAST);
      const url = new Uint8Array(HEAD_PAST);
      const first = Math.ceil((8 * shift) / 6);
      for (let j = 0; j < HEAD_PAST; j++) {
        // Character first + j covers bits 6(first + j) .. of the stream whose bytes are all x from
        // the key on: its mask is 6 bits of x repeated, at the same place modulo 24.
        const bit = (6 * (first + j)) % 24;
        const v = b64Vals[shift][j] ^ ((xxx >> (18 - bit)) & 63);
        std[j] = B64_BYTES[v];
        url[j] = B64URL_BYTES[v];
      }
      out.push(new XorNeedle(k, x, XOR_BASE64, shift, std));
      out.push(new XorNeedle(k, x, XOR_BASE64URL, shift, url));
    }
  }
  return out;
}
