// Messages between the page and the bundler worker: a typed union both sides switch on.
import type { BundleResult } from './bundle.ts';

export type WorkerRequest =
  /** Load esbuild's wasm (same-origin URL: the page is cross-origin isolated). */
  | { type: 'init'; id: number; wasmURL: string }
  /** Bundle these project files the way `vite build` would. */
  | { type: 'bundle'; id: number; files: Array<[string, Uint8Array]> };

export type WorkerResponse =
  | { type: 'ready'; id: number; version: string }
  | { type: 'progress'; id: number; text: string }
  | { type: 'bundled'; id: number; result: BundleResult }
  | { type: 'error'; id: number; message: string };
