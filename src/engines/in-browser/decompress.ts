// Decompressors for the leak detector in the browser (a `.gz` copy of a bundle can hold the key).
// fflate is small and synchronous; brotli has no small browser decoder, so `.br` files are read
// as they are (documented in docs/hosted-engines.md).
import { gunzipSync, inflateSync } from 'fflate';
import type { Decompressors } from '../../lib/leak/types.ts';

export const browserDecompressors: Decompressors = {
  gunzip: (data) => gunzipSync(data),
  inflate: (data) => inflateSync(data),
};
