// Helpers for the planted-key detector tests: fresh fake keys and the encoders that produce each
// form the way real tools do (Buffer, zlib, JSON, encodeURIComponent...).
import { randomBytes, createHash } from 'node:crypto';
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { nodeDecompressors } from '../../../src/node/fs-node.ts';
import { findKeyInBytes, type Finding } from '../../../src/lib/leak/index.ts';

const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const MARKER = 'T3Blbk' + 'FJ';

export function randomChars(n: number, alphabet = URLSAFE): string {
  const b = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[b[i] % alphabet.length];
  return s;
}

/** A planted-style fake key: sk-proj- + 156 URL-safe characters, never the real marker. */
export function plantedKey(): string {
  for (;;) {
    const k = 'sk-proj-' + randomChars(156);
    if (!k.includes(MARKER)) return k;
  }
}

export const b64 = (s: string | Uint8Array, url = false) => Buffer.from(s).toString(url ? 'base64url' : 'base64');
export const wrap = (s: string, width: number, nl = '\n') => s.match(new RegExp(`.{1,${width}}`, 'g'))!.join(nl);
export const hex = (s: string) => Buffer.from(s).toString('hex');
export const reverse = (s: string) => [...s].reverse().join('');
export const rot13 = (s: string) =>
  s.replace(/[a-z]/gi, (c) => String.fromCharCode(((c.charCodeAt(0) - (c <= 'Z' ? 65 : 97) + 13) % 26) + (c <= 'Z' ? 65 : 97)));
export const each = (s: string, f: (c: number, i: number) => string) => [...s].map((c, i) => f(c.charCodeAt(0), i)).join('');
export const h2 = (c: number) => c.toString(16).padStart(2, '0');
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const gzip = (s: string | Uint8Array) => new Uint8Array(gzipSync(s));
export const brotli = (s: string | Uint8Array) => new Uint8Array(brotliCompressSync(s));
export const deflate = (s: string | Uint8Array) => new Uint8Array(deflateSync(s));
export const utf16 = (s: string, le: boolean, bom: boolean) => {
  const b = Buffer.from((bom ? '\ufeff' : '') + s, 'utf16le');
  if (!le) b.swap16();
  return new Uint8Array(b);
};
export const enc = (s: string) => new TextEncoder().encode(s);

/** Findings for one file's bytes with Node's decompressors. */
export function find(key: string, bytes: Uint8Array | string, file = 'src/app.js', target: 'source' | 'bundle' = 'source'): Promise<Finding[]> {
  return findKeyInBytes(key, typeof bytes === 'string' ? enc(bytes) : bytes, { file, target, decompress: nodeDecompressors });
}
