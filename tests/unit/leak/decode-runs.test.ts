// The decoders that copy plain text a run at a time (decodeEscapes) and find base64 runs by a
// regular expression (base64RunEnd, decodeBase64Run) give exactly what a byte-by-byte decode gives:
// the references below are the per-character loops they replaced. Random texts dense in escapes
// and near-escapes; base64 runs short and long (past the first loop, across regex chunk edges),
// with line breaks, JSON "\n", both alphabets, padding, caps.
import { describe, expect, it } from 'vitest';
import { base64RunEnd, decodeBase64Run, decodeEscapes } from '../../../src/lib/leak/forms/decode.ts';
import { nodeDecompressors } from '../../../src/node/fs-node.ts';

let seed = 11;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = <T,>(a: readonly T[]): T => a[Math.floor(rand() * a.length)];

// ---- reference: escapes, one character at a time ----
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", sol: '/', hyphen: '-', dash: '-', lowbar: '_', UnderBar: '_', period: '.', colon: ':', equals: '=', plus: '+', num: '#', percnt: '%', bsol: '\\' };
const hexVal = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1);
function readHex(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const h = hexVal(s.charCodeAt(i + k));
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}
function refOnce(s: string, kinds: Set<string>): { text: string; from: number[] } {
  let out = '';
  const from: number[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    let ch = -1;
    let len = 0;
    if (c === 37) {
      const v = readHex(s, i + 1, 2);
      if (v >= 0) ((ch = v), (len = 3), kinds.add('percent'));
    } else if (c === 92) {
      const n = s.charCodeAt(i + 1);
      if (n === 120) {
        const v = readHex(s, i + 2, 2);
        if (v >= 0) ((ch = v), (len = 4));
      } else if (n === 117) {
        if (s.charCodeAt(i + 2) === 123) {
          const close = s.indexOf('}', i + 3);
          if (close > i + 3 && close <= i + 9) {
            const v = readHex(s, i + 3, close - i - 3);
            if (v >= 0 && v < 0x10000) ((ch = v), (len = close - i + 1));
          }
        } else {
          const v = readHex(s, i + 2, 4);
          if (v >= 0) ((ch = v), (len = 6));
        }
      } else if (n === 92 || n === 47 || n === 34 || n === 39 || n === 45) ((ch = n), (len = 2));
      if (len) kinds.add('js-escape');
    } else if (c === 38) {
      const semi = s.indexOf(';', i + 2);
      if (semi > i + 1 && semi <= i + 12) {
        const body = s.slice(i + 1, semi);
        let v = -1;
        if (body[0] === '#') {
          v = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : /^#\d+$/.test(body) ? parseInt(body.slice(1), 10) : -1;
          if (!(v >= 0 && v < 0x10000)) v = -1;
        } else if (NAMED[body]) v = NAMED[body].charCodeAt(0);
        if (v >= 0) ((ch = v), (len = semi - i + 1), kinds.add('html-entity'));
      }
    }
    from.push(i);
    if (len) ((out += String.fromCharCode(ch)), (i += len));
    else ((out += s[i]), (i += 1));
  }
  from.push(s.length);
  return { text: out, from };
}
function refEscapes(s: string) {
  const kinds = new Set<string>();
  let text = s;
  let from = Int32Array.from({ length: s.length + 1 }, (_, i) => i);
  for (let pass = 0; pass < 3; pass++) {
    const before = kinds.size;
    const r = refOnce(text, kinds);
    if (r.text === text) break;
    const composed = new Int32Array(r.from.length);
    for (let i = 0; i < r.from.length; i++) composed[i] = from[r.from[i]];
    text = r.text;
    from = composed;
    if (kinds.size === before && pass > 0) break;
  }
  return { text, from: [...from], kinds: [...kinds].sort() };
}

// ---- reference: base64 runs, one byte at a time ----
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const VAL = Array.from({ length: 256 }, (_, c) => (c < 128 && B64.includes(String.fromCharCode(c)) ? B64.indexOf(String.fromCharCode(c)) : c === 43 || c === 45 ? 62 : c === 47 || c === 95 ? 63 : -1));
const val = (c: number) => VAL[c] ?? -1;
function refRunEnd(buf: Uint8Array, start: number): number {
  let i = start;
  while (i < buf.length) {
    const c = buf[i];
    if (val(c) >= 0 || c === 10 || c === 13) i++;
    else if (c === 92 && (buf[i + 1] === 110 || buf[i + 1] === 114)) i += 2;
    else break;
  }
  return i;
}
function refDecode(buf: Uint8Array, start: number, max: number) {
  let chars = 0;
  for (let i = start; i < buf.length; ) {
    const c = buf[i];
    if (val(c) >= 0) (chars++, i++);
    else if (c === 10 || c === 13) i++;
    else if (c === 92 && (buf[i + 1] === 110 || buf[i + 1] === 114)) i += 2;
    else break;
  }
  const full = (chars * 3) >>> 2;
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  let i = start;
  while (i < buf.length && !(max < full && out.length >= max)) {
    const c = buf[i];
    const v = val(c);
    if (v >= 0) {
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 8) ((bits -= 8), out.push((acc >> bits) & 0xff));
      i++;
    } else if (c === 10 || c === 13) i++;
    else if (c === 92 && (buf[i + 1] === 110 || buf[i + 1] === 114)) i += 2;
    else break;
  }
  while (buf[i] === 61) i++;
  return { bytes: out, end: i };
}
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

describe('decodeEscapes (plain runs copied whole)', () => {
  const bits = ['%41', '%4', '%zz', '%', '\\x6b', '\\x6', '\\X6b', '\\\\x6b', '\\u006b', '\\u00zz', '\\u{6b}', '\\u{}', '\\u{1234567}', '\\\\', '\\/', '\\"', "\\'", '\\-', '\\n', '\\', '&#107;', '&#x6b;', '&#X6B;', '&#;', '&amp;', '&lt;', '&bogus;', '&', ';', '%2541', '%5Cx41', '\\u0025\\u0034\\u0031', 'sk-proj-', 'abc', ' ', 'é', '\u20ac'];
  it('matches a character-by-character decode on 3,000 random texts', () => {
    for (let t = 0; t < 3000; t++) {
      let s = '';
      const n = Math.floor(rand() * 40);
      for (let k = 0; k < n; k++) s += rand() < 0.3 ? 'plain text '.slice(0, 1 + Math.floor(rand() * 10)) : pick(bits);
      const got = decodeEscapes(s);
      expect({ text: got.text, from: [...got.from], kinds: [...got.kinds].sort() }, JSON.stringify(s)).toEqual(refEscapes(s));
    }
  });
  it('decodes layered and partial escapes of a key, and leaves plain text alone', () => {
    const d = decodeEscapes('x=\\u0073k-%70roj\\x2d&#65;B; y');
    expect(d.text).toBe('x=sk-proj-AB; y');
    expect(d.from[2]).toBe(2);
    expect([...d.kinds].sort()).toEqual(['html-entity', 'js-escape', 'percent']);
    const plain = decodeEscapes('no escapes here');
    expect(plain.text).toBe('no escapes here');
    expect([...plain.from]).toEqual([...Array(16).keys()]);
    expect(plain.kinds.size).toBe(0);
  });
});

describe('base64RunEnd and decodeBase64Run (runs found by a regular expression)', () => {
  const runBits = ['QUJD', 'REVG', 'R0hJ', '-_', '+/', 'a', 'Zz09', '\n', '\r\n', '\\n', '\\r'];
  const enders = ['', '=', '==', '"', ' ', ';', '\\t', '\\', '\\\\n', 'é', '\u0000', '==x'];
  it('matches a byte-by-byte decode for short and long runs (to 200 KB), with and without a cap', () => {
    for (let t = 0; t < 200; t++) {
      const target = pick([5, 40, 255, 256, 257, 300, 4095, 4097, 9000, 70_000, 200_000]);
      let s = 'x,';
      while (s.length < target) s += rand() < 0.9 ? pick(runBits.slice(0, 7)) : pick(runBits);
      // A backslash pair or an ender right at a regex chunk edge (256 + 4096 ...).
      if (t % 5 === 0) s = s.slice(0, 2 + 256 + 4096 - 1) + '\\n' + s.slice(2 + 256 + 4096 + 1);
      s += pick(enders) + 'tail';
      const buf = ascii(s);
      expect(base64RunEnd(buf, 2), `run of ${s.length}`).toBe(refRunEnd(buf, 2));
      const max = pick([1 << 28, 1 << 20, 10, 3, Math.floor(target / 3)]);
      const got = decodeBase64Run(buf, 2, max);
      const ref = refDecode(buf, 2, max);
      expect({ bytes: [...got.bytes], end: got.end }, `run of ${s.length}, max ${max}`).toEqual(ref);
    }
  });
  it("gives the same bytes with Node's native decoder (Decompressors.base64) as with its own loop", () => {
    const native = nodeDecompressors.base64!;
    for (let t = 0; t < 300; t++) {
      // Every length mod 4 (one character alone decodes to nothing), both alphabets mixed, breaks.
      let s = '';
      const target = 1024 + Math.floor(rand() * 3000) + (t % 4);
      while (s.length < target) s += rand() < 0.05 ? pick(['\n', '\\n', '\r\n']) : pick([...B64, '+', '/', '-', '_']);
      const buf = ascii(s + pick(['', '=', '==', '"']));
      const own = decodeBase64Run(buf, 0, 1 << 28);
      const fast = decodeBase64Run(buf, 0, 1 << 28, native);
      expect({ bytes: [...fast.bytes], end: fast.end }, `run of ${s.length}`).toEqual({ bytes: [...own.bytes], end: own.end });
    }
  });
  it('decodes a wrapped run to its text and stops where it ends', () => {
    const text = 'sk-proj-' + 'ABCDEFGHIJ'.repeat(60);
    const b64 = btoa(text);
    const wrapped = b64.replace(/(.{76})/g, '$1\\n');
    const buf = ascii(`"${wrapped}";next`);
    const d = decodeBase64Run(buf, 1, 1 << 28);
    expect(new TextDecoder().decode(d.bytes)).toBe(text);
    expect(String.fromCharCode(buf[d.end])).toBe('"');
    expect(base64RunEnd(ascii('ab\\cd'), 0)).toBe(2);
    expect(base64RunEnd(ascii('ab\\'), 0)).toBe(2);
    expect(base64RunEnd(ascii('ab\\n'), 0)).toBe(4);
  });
});
