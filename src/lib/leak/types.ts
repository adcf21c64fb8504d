// Shared shapes of the leak detector. The core is pure TypeScript: file access and decompression
// are passed in, so it runs in Node, a Web Worker and WebContainer alike.
import type { ReadonlyFs } from '../fs/types.ts';

export type Target = 'source' | 'bundle' | 'git' | 'docker' | 'image';

export interface Finding {
  target: Target;
  /** Path relative to the scanned root, or inside a layer / commit. */
  file: string;
  /** 1-based; 0 when the form has no meaningful line (e.g. inside compressed bytes). */
  line: number;
  column: number;
  /** Machine name of the form: 'plain', 'base64', 'hex', 'reversed', 'fragments', 'gzip>plain', ... */
  form: string;
  /** Excerpt with the key masked (e.g. "sk-proj-Ab…(140 chars)…xY"): never the full key. */
  excerpt: string;
  /** Plain words for a learner: what was found and where. */
  message: string;
  commit?: string;
  layer?: string;
  /** For `scan`: which kind of key ('openai-project', 'openai-legacy', ...). */
  rule?: string;
}

export interface LeakReport {
  leak: boolean;
  findings: Finding[];
}

/** Decompressors the caller can provide (Node: zlib; browser: fflate / DecompressionStream). */
export interface Decompressors {
  gunzip?(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  inflate?(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  brotli?(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Optional streaming variants, so a huge compressed file is never held whole. */
  gunzipStream?(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  brotliStream?(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  /**
   * Optional: gunzip into `into` when the output fits (the result is then a view of `into`, valid
   * until the caller reuses it), else like gunzip. A scan of many .gz files then reuses one output
   * buffer instead of fresh memory for each (page faults dominate short runs).
   */
  gunzipInto?(data: Uint8Array, into: Uint8Array): Uint8Array;
  /**
   * Optional: base64 (either alphabet, mixed; no padding, line breaks or other bytes) to bytes, as
   * the platform does it natively. Without it a long run (a base64 gzip blob, an inline source map)
   * is decoded by a loop in JavaScript, which V8 compiles twice in a short audit (~5 ms of CPU).
   */
  base64?(text: string): Uint8Array;
}

/**
 * Optional fast path a file system may offer for scanning many files: reads a whole file
 * synchronously into one buffer it reuses, so the bytes are valid only until the next call (no
 * allocation, copy or garbage per file). Returns null when the file is larger than `max` (the
 * caller then streams it). Node: src/node/fs-node.ts.
 */
export interface SharedReadFs {
  readWholeShared?(path: string, max: number): Uint8Array | null;
}

export interface AuditOptions {
  /** The exact planted key. */
  key: string;
  target: Target;
  fs: ReadonlyFs;
  /** Folder inside `fs` to audit ('' = root). For `bundle`, the build output folder. */
  dir?: string;
  decompress?: Decompressors;
}

/** Where a chunk of bytes came from, passed to the key finder (added for the git/docker/image targets). */
export interface DetectContext {
  file: string;
  target: Target;
  commit?: string;
  layer?: string;
}

/** The planted-key finder as the targets use it: `findKeyInBytes` from src/lib/leak/index.ts fits. */
export type KeyDetector = (key: string, bytes: Uint8Array, ctx: DetectContext) => Finding[] | Promise<Finding[]>;
