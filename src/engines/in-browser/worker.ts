/// <reference lib="webworker" />
// The bundler worker: esbuild-wasm runs here so a build never freezes the page. It only bundles;
// the page-side engine owns the files and writes the output into its in-memory fs.
import * as esbuild from 'esbuild-wasm/esm/browser.js';
import { bundleViteProject, type EsbuildApi } from './bundle.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

let ready: Promise<void> | undefined;

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

self.addEventListener('message', async (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  try {
    switch (msg.type) {
      case 'init': {
        // `worker: false`: we already are the worker; a nested one would only add a hop.
        ready ??= esbuild.initialize({ wasmURL: msg.wasmURL, worker: false });
        await ready;
        post({ type: 'ready', id: msg.id, version: esbuild.version });
        break;
      }
      case 'bundle': {
        if (!ready) throw new Error('The bundler was asked to build before it was started (send "init" first).');
        await ready;
        post({ type: 'progress', id: msg.id, text: 'bundling with esbuild-wasm' });
        const result = await bundleViteProject(esbuild as unknown as EsbuildApi, msg.files);
        post({ type: 'bundled', id: msg.id, result });
        break;
      }
      default:
        throw new Error(`Unknown message type ${JSON.stringify((msg as { type?: unknown }).type)} sent to the bundler worker.`);
    }
  } catch (e) {
    if (msg.type === 'init') ready = undefined;
    post({ type: 'error', id: msg.id, message: (e as Error)?.message ?? String(e) });
  }
});
