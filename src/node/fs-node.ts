// Node adapters for the leak detector: a ReadonlyFs over a real folder (large files streamed in
// chunks, symlinks reported as such and never followed) and decompressors backed by node:zlib.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, readdir, readFile, lstat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { brotliDecompressSync, createBrotliDecompress, createGunzip, gunzipSync, inflateSync } from 'node:zlib';
import type { EntryKind, ReadonlyFs } from '../lib/fs/types.ts';
import type { Decompressors, SharedReadFs } from '../lib/leak/types.ts';

/** Read-only access to the files under `root`; paths are POSIX and relative to it. */
export function nodeReadonlyFs(root: string): ReadonlyFs & SharedReadFs {
  const base = resolve(root);
  const abs = (p: string) => {
    const full = resolve(base, p || '.');
    if (full !== base && !full.startsWith(base + sep)) throw new Error(`Path "${p}" is outside ${base}.`);
    return full;
  };
  let shared: Buffer | undefined;
  const kindOf = (s: { isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind =>
    s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'dir' : 'file';
  return {
    async readdir(p) {
      const entries = await readdir(abs(p), { withFileTypes: true });
      return entries.map((d) => ({ name: d.name, kind: kindOf(d) }));
    },
    async readFile(p) {
      const b = await readFile(abs(p));
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    async stat(p) {
      const s = await lstat(abs(p));
      return { kind: kindOf(s), size: s.size };
    },
    readWholeShared(p, max) {
      const fd = openSync(abs(p), 'r');
      try {
        const size = fstatSync(fd).size;
        if (size > max) return null;
        // One buffer, grown to the largest file read (at most `max`): no allocation per file.
        if (!shared || shared.length < size) shared = Buffer.allocUnsafeSlow(Math.min(max, Math.max(size, 2 * (shared?.length ?? 0), 1 << 20)));
        let n = 0;
        while (n < size) {
          const r = readSync(fd, shared, n, size - n, n);
          if (r === 0) break;
          n += r;
        }
        return new Uint8Array(shared.buffer, shared.byteOffset, n);
      } finally {
        closeSync(fd);
      }
    },
    async *readChunks(p, chunkSize = 4 * 1024 * 1024) {
      const fh = await open(abs(p), 'r');
      try {
        for (;;) {
          // A fresh buffer each time: the consumer may keep the chunk.
          const buf = new Uint8Array(chunkSize);
          const { bytesRead } = await fh.read(buf, 0, chunkSize, null);
          if (bytesRead === 0) return;
          yield bytesRead === chunkSize ? buf : buf.subarray(0, bytesRead);
        }
      } finally {
        await fh.close();
      }
    },
  };
}

const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

async function* through(chunks: AsyncIterable<Uint8Array>, make: () => NodeJS.ReadWriteStream): AsyncIterable<Uint8Array> {
  const out = Readable.from(chunks).pipe(make() as unknown as NodeJS.WritableStream) as unknown as AsyncIterable<Buffer>;
  for await (const b of out) yield u8(b);
}

/** Whole-buffer decompression stops here (a "zip bomb" must not exhaust memory); big files stream. */
const MAX_OUTPUT = 512 * 1024 * 1024;

/** gzip, zlib deflate and brotli through node:zlib, whole or streamed. */
export const nodeDecompressors: Decompressors = {
  gunzip: (d) => u8(gunzipSync(d, { maxOutputLength: MAX_OUTPUT })),
  inflate: (d) => u8(inflateSync(d, { maxOutputLength: MAX_OUTPUT })),
  brotli: (d) => u8(brotliDecompressSync(d, { maxOutputLength: MAX_OUTPUT })),
  gunzipStream: (chunks) => through(chunks, () => createGunzip()),
  brotliStream: (chunks) => through(chunks, () => createBrotliDecompress()),
};

