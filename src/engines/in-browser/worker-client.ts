// Page side of the bundler worker: starts it on first use, loads esbuild's wasm from this site
// (the page is cross-origin isolated, so a wasm from a CDN would be blocked), and turns the
// message union into promises.
import type { BundleResult } from './bundle.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

export interface Bundler {
  bundle(files: Array<[string, Uint8Array]>, onProgress?: (text: string) => void): Promise<BundleResult>;
  /**
   * Loads esbuild and runs one tiny build, in the background. esbuild-wasm's first build is slow
   * (measured here: ~3 s to start and ~10 s for the first tiny build on a busy 2-core machine, then
   * well under a second), so doing it before the learner presses Check hides most of the wait.
   */
  warm?(): Promise<void>;
  dispose(): void;
}

const encoder = new TextEncoder();
const WARM_UP: Array<[string, Uint8Array]> = [
  ['index.html', encoder.encode('<script type="module" src="/a.js"></script>')],
  ['a.js', encoder.encode('export const a = import.meta.env.MODE;')],
];

/** A request without its id (Omit over a union must distribute). */
type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

type Pending = { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void; onProgress?: (text: string) => void };

export function createWorkerBundler(options: { wasmURL: string; createWorker?: () => Worker }): Bundler {
  let worker: Worker | undefined;
  let ready: Promise<void> | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const start = (): Worker => {
    if (worker) return worker;
    worker = options.createWorker ? options.createWorker() : new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'leakproof-bundler' });
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
      const msg = event.data;
      const p = pending.get(msg.id);
      if (!p) return;
      if (msg.type === 'progress') return p.onProgress?.(msg.text);
      pending.delete(msg.id);
      if (msg.type === 'error') p.reject(new Error(msg.message));
      else p.resolve(msg);
    });
    worker.addEventListener('error', (event) => {
      const error = new Error(`The bundler worker stopped: ${event.message || 'it could not be loaded'}.`);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
    return worker;
  };

  const send = (req: Request, onProgress?: (text: string) => void): Promise<WorkerResponse> => {
    const w = start();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onProgress });
      w.postMessage({ ...req, id } as WorkerRequest);
    });
  };

  let warming: Promise<void> | undefined;
  const api: Bundler = {
    warm() {
      warming ??= api.bundle(WARM_UP).then(
        () => undefined,
        () => {
          warming = undefined; // a real build will report the problem
        },
      );
      return warming;
    },
    async bundle(files, onProgress) {
      onProgress?.('loading the bundler (esbuild-wasm)');
      ready ??= send({ type: 'init', wasmURL: options.wasmURL }).then(
        () => undefined,
        (e: Error) => {
          ready = undefined;
          throw e;
        },
      );
      await ready;
      const res = await send({ type: 'bundle', files }, onProgress);
      if (res.type !== 'bundled') throw new Error(`The bundler worker answered "${res.type}" to a build request.`);
      return res.result;
    },
    dispose() {
      worker?.terminate();
      worker = undefined;
      ready = undefined;
      for (const p of pending.values()) p.reject(new Error('The bundler was stopped.'));
      pending.clear();
    },
  };
  return api;
}
