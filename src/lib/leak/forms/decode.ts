// Decoders run only around a hit (never over whole files): they turn partial or mixed escapes and
// char-code lists back into text so the plain key can be matched, the way gitleaks decodes before
// it matches. Each returns the decoded text plus, for every decoded character, the offset in the
// input where it started, so a match can be reported at its real place.

export interface Decoded {
  text: string;
  /** from[i] = offset in the input of decoded character i; from[text.length] = end. */
  from: Int32Array;
  /** Which escape families were decoded: 'percent', 'js-escape', 'html-entity'. */
  kinds: Set<string>;
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", sol: '/', hyphen: '-', dash: '-', lowbar: '_',
  UnderBar: '_', period: '.', colon: ':', equals: '=', plus: '+', num: '#', percnt: '%', bsol: '\\',
};

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function readHex(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const h = hexVal(s.charCodeAt(i + k));
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/** The bytes where an escape may start: % \ & (everything between them is copied as it is). */
const ESCAPE_START = /[%\\&]/g;

/**
 * One left-to-right pass over `s` decoding %XX, \xXX, \uXXXX, \u{X}, JSON \\ and \/, &#N; &#xN;
 * &name;. Text between escapes is copied a run at a time (found by a regular expression, which V8
 * runs as native code): a window is mostly plain text, and a loop over each of its characters ran
 * interpreted, then was compiled (and deoptimized) on the second thread, in every short audit.
 * `from[i]` is the offset in `s` of output character i; `changed` says whether any escape was decoded.
 */
function decodeOnce(s: string, kinds: Set<string>): { text: string; from: Int32Array; changed: boolean } {
  let out = '';
  const from = new Int32Array(s.length + 1);
  let o = 0;
  let changed = false;
  let i = 0;
  while (i < s.length) {
    ESCAPE_START.lastIndex = i;
    const next = ESCAPE_START.exec(s)?.index ?? s.length;
    if (next > i) {
      out += s.slice(i, next);
      for (let k = i; k < next; k++) from[o++] = k;
      i = next;
      if (i >= s.length) break;
    }
    const c = s.charCodeAt(i);
    let ch = -1;
    let len = 0;
    if (c === 37 /* % */) {
      const v = readHex(s, i + 1, 2);
      if (v >= 0) ((ch = v), (len = 3), kinds.add('percent'));
    } else if (c === 92 /* \ */) {
      const n = s.charCodeAt(i + 1);
      if (n === 120 /* x */) {
        const v = readHex(s, i + 2, 2);
        if (v >= 0) ((ch = v), (len = 4));
      } else if (n === 117 /* u */) {
        if (s.charCodeAt(i + 2) === 123 /* { */) {
          const close = s.indexOf('}', i + 3);
          if (close > i + 3 && close <= i + 9) {
            const v = readHex(s, i + 3, close - i - 3);
            if (v >= 0 && v < 0x10000) ((ch = v), (len = close - i + 1));
          }
        } else {
          const v = readHex(s, i + 2, 4);
          if (v >= 0) ((ch = v), (len = 6));
        }
      } else if (n === 92 || n === 47 || n === 34 || n === 39 || n === 45) {
        ((ch = n), (len = 2)); // \\  \/  \"  \'  \-
      }
      if (len) kinds.add('js-escape');
    } else if (c === 38 /* & */) {
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
    from[o++] = i;
    if (len) {
      out += String.fromCharCode(ch);
      i += len;
      changed = true;
    } else {
      out += s[i];
      i += 1;
    }
  }
  from[o] = s.length;
  return { text: out, from: from.subarray(0, o + 1), changed };
}

/** Decodes escapes repeatedly (up to 3 layers: a JSON string holding a JS string holding %XX). */
export function decodeEscapes(s: string): Decoded {
  const kinds = new Set<string>();
  let text = s;
  // null: the identity (nothing decoded yet).
  let from: Int32Array | null = null;
  for (let pass = 0; pass < 3; pass++) {
    const before = kinds.size;
    const r = decodeOnce(text, kinds);
    // Every decoded escape is shorter than its text: the output equals the input exactly when
    // nothing was decoded.
    if (!r.changed) break;
    if (from) {
      const prev = from;
      const composed = r.from;
      for (let i = 0; i < composed.length; i++) composed[i] = prev[composed[i]];
      from = composed;
    } else from = r.from;
    text = r.text;
    if (kinds.size === before && pass > 0) break;
  }
  if (!from) {
    from = new Int32Array(s.length + 1);
    for (let i = 0; i <= s.length; i++) from[i] = i;
  }
  return { text, from, kinds };
}

/**
 * Char-code lists: runs of numbers (decimal, or 0x hex) separated by commas and white space, as in
 * `[115, 107, 45]` or `String.fromCharCode(0x73,0x6b)`, turned into the text they spell.
 */
export function decodeCharCodes(s: string): Decoded {
  let text = '';
  const from: number[] = [];
  const re = /0[xX][0-9a-fA-F]{1,4}|\d{1,5}/g;
  let last = -1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    // A gap that is not just separators ends the run: mark it with a character no key has.
    if (last >= 0 && !/^[\s,]*$/.test(s.slice(last, m.index))) {
      text += '\u0000';
      from.push(last);
    }
    const v = m[0][1] === 'x' || m[0][1] === 'X' ? parseInt(m[0].slice(2), 16) : parseInt(m[0], 10);
    text += v < 0x10000 ? String.fromCharCode(v) : '\u0000';
    from.push(m.index);
    last = m.index + m[0].length;
  }
  from.push(last < 0 ? s.length : last);
  return { text, from: Int32Array.from(from), kinds: new Set(['char-codes']) };
}

const B64VAL = (() => {
  const t = new Int8Array(256).fill(-1);
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < a.length; i++) t[a.charCodeAt(i)] = i;
  t[43] = 62; // +
  t[45] = 62; // -
  t[47] = 63; // /
  t[95] = 63; // _
  return t;
})();

/** Whether byte `c` can be part of a base64 or base64url run. */
export function isBase64Byte(c: number): boolean {
  return B64VAL[c] >= 0;
}

/**
 * A byte that ends a base64 run (see base64RunEnd): not a base64 or base64url character, nor a line
 * break, nor a backslash of a JSON "\n" or "\r".
 */
const RUN_END = /[^A-Za-z0-9+/\-_\r\n\\]|\\(?![nr])/g;

/**
 * Where the base64 (or base64url) run starting at `start` ends: its characters, line breaks and
 * JSON "\n" (or "\r") inside it. The first bytes by a loop (most runs are short); from there a chunk
 * at a time by a regular expression, which V8 runs as native code: a long run (an inline source
 * map, a base64 gzip blob of 200 KB) in a loop here ran interpreted, then compiled on the second
 * thread, a cost a short audit noticed.
 */
export function base64RunEnd(buf: Uint8Array, start: number): number {
  let i = start;
  const stop = Math.min(buf.length, start + 256);
  while (i < stop) {
    const c = buf[i];
    if (B64VAL[c] >= 0 || c === 10 || c === 13) i++;
    else if (c === 92 && (buf[i + 1] === 110 || buf[i + 1] === 114)) i += 2;
    else return i;
  }
  for (let size = 4096; i < buf.length; size = Math.min(2 * size, 1 << 20)) {
    const to = Math.min(buf.length, i + size);
    // One byte past the chunk: a backslash at its end sees what follows it.
    const m = RUN_END.exec(latin1(buf, i, Math.min(buf.length, to + 1)));
    RUN_END.lastIndex = 0;
    if (m && m.index < to - i) return i + m.index;
    i = to;
  }
  return buf.length;
}

/** The run's line breaks and JSON "\n" / "\r": removed before decoding. */
const RUN_BREAKS = /\\[nr]|[\r\n]/g;

/**
 * Decodes the base64 (or base64url) run starting at `start`: line breaks (also JSON "\n") inside
 * it are skipped; stops at the first other byte or at `max` decoded bytes. Returns the bytes and
 * where the run ended. `native`: the platform's decoder (Decompressors.base64), for long runs.
 */
export function decodeBase64Run(buf: Uint8Array, start: number, max: number, native?: (text: string) => Uint8Array): { bytes: Uint8Array; end: number } {
  // The run as text without its line breaks (native string operations), so the output is
  // allocated at its real size (a data: URL in a large source map would otherwise get a zeroed
  // buffer sized to the rest of the file) and decoded four characters at a time.
  const runEnd = base64RunEnd(buf, start);
  const run = latin1(buf, start, runEnd).replace(RUN_BREAKS, '');
  const full = (run.length * 3) >>> 2; // 6 bits per character, whole bytes
  if (max < full) return decodeBase64Capped(buf, start, max);
  let end = runEnd;
  while (buf[end] === 61 /* = */) end++;
  // The platform's decoder for long runs (see Decompressors.base64); short ones are not worth a call.
  if (native && run.length >= 1024) return { bytes: native(run), end };
  const out = new Uint8Array(full);
  const whole = run.length & ~3;
  let n = decodeQuads(run, whole, out);
  // 2 or 3 characters left: 1 or 2 whole bytes (one character alone has too few bits).
  if (run.length - whole >= 2) {
    const v = (B64VAL[run.charCodeAt(whole)] << 18) | (B64VAL[run.charCodeAt(whole + 1)] << 12) | (run.length - whole === 3 ? B64VAL[run.charCodeAt(whole + 2)] << 6 : 0);
    out[n++] = v >> 16;
    if (run.length - whole === 3) out[n++] = v >> 8;
  }
  return { bytes: out, end };
}

/**
 * Decodes run[0, whole) (base64 characters only, whole a multiple of 4) into `out`; returns the
 * number of bytes. A function of its own: V8 compiles a long loop while it runs (on-stack
 * replacement), and code after the loop that had not run yet would undo that compile.
 */
function decodeQuads(run: string, whole: number, out: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < whole; k += 4) {
    const v = (B64VAL[run.charCodeAt(k)] << 18) | (B64VAL[run.charCodeAt(k + 1)] << 12) | (B64VAL[run.charCodeAt(k + 2)] << 6) | B64VAL[run.charCodeAt(k + 3)];
    out[n] = v >> 16;
    out[n + 1] = v >> 8;
    out[n + 2] = v;
    n += 3;
  }
  return n;
}

/** decodeBase64Run when the run decodes to more than `max` bytes: the first `max`, and where they end. */
function decodeBase64Capped(buf: Uint8Array, start: number, max: number): { bytes: Uint8Array; end: number } {
  const out = new Uint8Array(max);
  let acc = 0;
  let bits = 0;
  let n = 0;
  let i = start;
  while (i < buf.length && n < max) {
    const c = buf[i];
    const v = B64VAL[c];
    if (v >= 0) {
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (acc >> bits) & 0xff;
      }
      i++;
    } else if (c === 10 || c === 13) i++;
    else if (c === 92 && (buf[i + 1] === 110 || buf[i + 1] === 114)) i += 2;
    else break;
  }
  while (buf[i] === 61 /* = */) i++;
  return { bytes: out.subarray(0, n), end: i };
}

/** Bytes as a one-char-per-byte string (for regex and indexOf over small windows). */
export function latin1(buf: Uint8Array, start = 0, end = buf.length): string {
  let s = '';
  for (let i = start; i < end; i += 8192) s += String.fromCharCode.apply(null, buf.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  return s;
}

/** Value of each byte as a hex digit, or -1. Indexed with `c & 255` (inline, not by a helper function:
 * V8 would compile that on its own): a read past the end gives undefined, made 0, not a hex digit. */
export const HEX_VALUE = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) (t[65 + i] = 10 + i), (t[97 + i] = 10 + i);
  return t;
})();


/** Scratch output of the quick decoders (they run thousands of times per file: no allocation). */
export const scratch = new Uint16Array(256);

/**
 * A quick decode of buf[start, end) into `scratch` for the pre-check before a full window decode:
 * %XX, \xXX, \u00XX, \u{XX}, &#N; and &#xN; become their character, other bytes stay. Returns the
 * number of characters written. (start..end must span at most 256 bytes.)
 */
export function quickDecodeEscapes(buf: Uint8Array, start: number, end: number): number {
  let n = 0;
  let i = start;
  while (i < end) {
    const c = buf[i];
    if (c === 37 && i + 2 < end) {
      const a = HEX_VALUE[buf[i + 1] & 255];
      const b = HEX_VALUE[buf[i + 2] & 255];
      if (a >= 0 && b >= 0) {
        scratch[n++] = a * 16 + b;
        i += 3;
        continue;
      }
    } else if (c === 92 && i + 1 < end) {
      let j = i + 1;
      while (buf[j] === 92 && j < i + 4) j++; // doubly escaped: \\x73
      const x = buf[j];
      let a = -1;
      let b = -1;
      let len = 0;
      if (x === 120) ((a = HEX_VALUE[buf[j + 1] & 255]), (b = HEX_VALUE[buf[j + 2] & 255]), (len = 3));
      else if (x === 117 && buf[j + 1] === 123) ((a = HEX_VALUE[buf[j + 2] & 255]), (b = HEX_VALUE[buf[j + 3] & 255]), (len = buf[j + 4] === 125 ? 5 : 0));
      else if (x === 117 && buf[j + 1] === 48 && buf[j + 2] === 48) ((a = HEX_VALUE[buf[j + 3] & 255]), (b = HEX_VALUE[buf[j + 4] & 255]), (len = 5));
      if (len && a >= 0 && b >= 0) {
        scratch[n++] = a * 16 + b;
        i = j + len;
        continue;
      }
    } else if (c === 38 && buf[i + 1] === 35) {
      let j = i + 2;
      let v = 0;
      const isHex = buf[j] === 120 || buf[j] === 88;
      if (isHex) j++;
      const from = j;
      for (; j < end && j < from + 6; j++) {
        const d = isHex ? HEX_VALUE[buf[j] & 255] : buf[j] >= 48 && buf[j] <= 57 ? buf[j] - 48 : -1;
        if (d < 0) break;
        v = v * (isHex ? 16 : 10) + d;
      }
      if (j > from && buf[j] === 59) {
        scratch[n++] = v & 0xffff;
        i = j + 1;
        continue;
      }
    }
    scratch[n++] = c;
    i++;
  }
  return n;
}

/** A quick decode of the numbers in buf[start, end) into `scratch` (pre-check for char codes). */
export function quickDecodeCharCodes(buf: Uint8Array, start: number, end: number): number {
  let n = 0;
  let i = start;
  while (i < end) {
    const c = buf[i];
    if (c < 48 || c > 57) {
      // anything but separators breaks the run
      if (c !== 44 && c !== 32 && c !== 10 && c !== 13 && c !== 9) scratch[n++] = 0;
      i++;
      continue;
    }
    let v = 0;
    if (c === 48 && (buf[i + 1] === 120 || buf[i + 1] === 88)) {
      i += 2;
      for (let d = HEX_VALUE[buf[i] & 255]; d >= 0 && i < end; d = HEX_VALUE[buf[++i] & 255]) v = (v * 16 + d) & 0xffffff;
    } else {
      for (; i < end && buf[i] >= 48 && buf[i] <= 57; i++) v = (v * 10 + buf[i] - 48) & 0xffffff;
    }
    scratch[n++] = v > 0xffff ? 0 : v;
  }
  return n;
}
