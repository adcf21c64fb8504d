// zlib decompressors for the leak core (it looks inside .gz / .br build output).
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Decompressors } from '../../lib/leak/types.ts';

const LIMIT = 64 * 1024 * 1024; // a decompression bomb stops here instead of filling memory

export const nodeDecompressors: Decompressors = {
  gunzip: (d) => new Uint8Array(gunzipSync(d, { maxOutputLength: LIMIT })),
  inflate: (d) => new Uint8Array(inflateSync(d, { maxOutputLength: LIMIT })),
  brotli: (d) => new Uint8Array(brotliDecompressSync(d, { maxOutputLength: LIMIT })),
};
