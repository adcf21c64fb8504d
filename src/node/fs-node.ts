// Node adapters for the leak detector: a ReadonlyFs over a real folder (large files streamed in
// chunks, symlinks reported as such and never followed) and decompressors backed by node:zlib.
// Built-in modules are taken with require(), and zlib and streams only when first needed: an ESM
// `import` of node:fs or node:util builds a namespace that touches every lazy export (fs streams,
// util's extras), and `leakproof audit` is a short process whose start-up counts.
import { createRequire } from 'node:module';
import type { EntryKind, ReadonlyFs } from '../lib/fs/types.ts';
import type { Decompressors, SharedReadFs } from '../lib/leak/types.ts';

const nodeRequire = createRequire(import.meta.url);
const fs = nodeRequire('node:fs') as typeof import('node:fs');
const { resolve, sep } = nodeRequire('node:path') as typeof import('node:path');
let zlibModule: typeof import('node:zlib') | undefined;
const zlib = () => (zlibModule ??= nodeRequire('node:zlib') as typeof import('node:zlib'));

/** Read-only access to the files under `root`; paths are POSIX and relative to it. */
export function nodeReadonlyFs(root: string): ReadonlyFs & SharedReadFs {
  const base = resolve(root);
  const prefix = base.endsWith(sep) ? base : base + sep;
  const abs = (p: string) => {
    // The walker's paths are already plain ("assets/a.js"): joined as they are, without a
    // path.resolve per file; anything else ("..", "./", "//", absolute, backslashes) is resolved.
    if (sep === '/' && p && p[0] !== '/' && !/(^|\/)\.\.?(\/|$)|\/\/|\\/.test(p)) return prefix + p;
    const full = resolve(base, p || '.');
    if (full !== base && !full.startsWith(base + sep)) throw new Error(`Path "${p}" is outside ${base}.`);
    return full;
  };
  let shared: Buffer | undefined;
  const kindOf = (s: { isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind =>
    s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'dir' : 'file';
  return {
    // Synchronous calls inside the async API: a CLI waits for each result anyway, and a sync call
    // skips the thread-pool round trip and the promise of each.
    async readdir(p) {
      return fs.readdirSync(abs(p), { withFileTypes: true }).map((d) => ({ name: d.name, kind: kindOf(d) }));
    },
    async readFile(p) {
      const b = fs.readFileSync(abs(p));
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    async stat(p) {
      const s = fs.lstatSync(abs(p));
      return { kind: kindOf(s), size: s.size };
    },
    readWholeShared(p, max) {
      const fd = fs.openSync(abs(p), 'r');
      try {
        const size = fs.fstatSync(fd).size;
        if (size > max) return null;
        // One buffer, grown to the largest file read (at most `max`): no allocation per file.
        if (!shared || shared.length < size) shared = Buffer.allocUnsafeSlow(Math.min(max, Math.max(size, 2 * (shared?.length ?? 0), 1 << 20)));
        let n = 0;
        while (n < size) {
          const r = fs.readSync(fd, shared, n, size - n, n);
          if (r === 0) break;
          n += r;
        }
        return new Uint8Array(shared.buffer, shared.byteOffset, n);
      } finally {
        fs.closeSync(fd);
      }
    },
    async *readChunks(p, chunkSize = 4 * 1024 * 1024) {
      const fd = fs.openSync(abs(p), 'r');
      try {
        for (;;) {
          // A fresh buffer each time: the consumer may keep the chunk.
          const buf = new Uint8Array(chunkSize);
          const bytesRead = fs.readSync(fd, buf, 0, chunkSize, null);
          if (bytesRead === 0) return;
          yield bytesRead === chunkSize ? buf : buf.subarray(0, bytesRead);
        }
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}

const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

async function* through(chunks: AsyncIterable<Uint8Array>, make: () => NodeJS.ReadWriteStream): AsyncIterable<Uint8Array> {
  const { Readable } = nodeRequire('node:stream') as typeof import('node:stream');
  const out = Readable.from(chunks).pipe(make() as unknown as NodeJS.WritableStream) as unknown as AsyncIterable<Buffer>;
  for await (const b of out) yield u8(b);
}

/** Whole-buffer decompression stops here (a "zip bomb" must not exhaust memory); big files stream. */
const MAX_OUTPUT = 512 * 1024 * 1024;

/**
 * Output buffer size for gunzip: the size gzip records in its last four bytes (plus one, so the
 * output never fills the buffer exactly), so the result is one buffer, not 16 KiB pieces joined by
 * a copy. Only a hint (it is wrong for multi-member or corrupt files): capped, and zlib still grows
 * the output past it when needed.
 */
function gzipChunkSize(d: Uint8Array): number {
  const n = d.length;
  const size = n >= 18 ? (d[n - 4] | (d[n - 3] << 8) | (d[n - 2] << 16) | (d[n - 1] << 24)) >>> 0 : 0;
  return Math.max(64 * 1024, Math.min(size + 1, 64 * 1024 * 1024, 1100 * n));
}

const gunzip = (d: Uint8Array) => u8(zlib().gunzipSync(d, { maxOutputLength: MAX_OUTPUT, chunkSize: gzipChunkSize(d) }));

/** The fields of a zlib stream object that gunzipInto lends its buffer through. */
interface ZlibEngine {
  _outBuffer: Buffer;
  _outOffset: number;
  _chunkSize: number;
  _maxOutputLength: number;
  _processChunk(chunk: Uint8Array, flush: number): Buffer;
}

/**
 * gunzip with `into` as the output buffer: zlib's synchronous path writes into the stream's
 * _outBuffer (as gunzipSync does, with a fresh one); lending it ours saves fresh memory per file.
 * These are zlib's internal fields (stable since Node 10; _processChunk is kept for compatibility):
 * if they are not there, this is plain gunzip.
 */
function gunzipInto(d: Uint8Array, into: Uint8Array): Uint8Array {
  const z = zlib();
  const engine = z.createGunzip({ chunkSize: 64 }) as unknown as Partial<ZlibEngine>;
  if (typeof engine._processChunk !== 'function' || !Buffer.isBuffer(engine._outBuffer) || typeof engine._outOffset !== 'number' || typeof engine._chunkSize !== 'number') return gunzip(d);
  engine._outBuffer = Buffer.from(into.buffer, into.byteOffset, into.byteLength);
  engine._outOffset = 0;
  engine._chunkSize = into.byteLength;
  engine._maxOutputLength = MAX_OUTPUT;
  return u8(engine._processChunk(d, z.constants.Z_FINISH));
}

/** gzip, zlib deflate and brotli through node:zlib, whole or streamed. */
export const nodeDecompressors: Decompressors = {
  gunzip,
  gunzipInto,
  inflate: (d) => u8(zlib().inflateSync(d, { maxOutputLength: MAX_OUTPUT })),
  brotli: (d) => u8(zlib().brotliDecompressSync(d, { maxOutputLength: MAX_OUTPUT })),
  base64: (text) => u8(Buffer.from(text, 'base64')),
  gunzipStream: (chunks) => through(chunks, () => zlib().createGunzip()),
  brotliStream: (chunks) => through(chunks, () => zlib().createBrotliDecompress()),
};
