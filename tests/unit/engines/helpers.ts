// Shared by the engine tests: esbuild-wasm running in Node (the same package the worker loads),
// and tiny Vite projects as FileMaps.
import * as esbuild from 'esbuild-wasm';
import { bundleViteProject, type BundleResult, type EsbuildApi } from '../../../src/engines/in-browser/bundle.ts';
import type { Bundler } from '../../../src/engines/in-browser/worker-client.ts';
import { generatePlantedKey } from '../../../src/lib/exercise/planted-key.ts';

export const enc = new TextEncoder();
export const dec = new TextDecoder();

export const nodeEsbuild = esbuild as unknown as EsbuildApi;

export async function bundle(files: Record<string, string | Uint8Array>): Promise<BundleResult> {
  return bundleViteProject(
    nodeEsbuild,
    Object.entries(files).map(([p, c]) => [p, typeof c === 'string' ? enc.encode(c) : c]),
  );
}

/** The same bundling the worker does, without a worker. */
export const nodeBundler: Bundler = {
  bundle: (files) => bundleViteProject(nodeEsbuild, files),
  dispose() {},
};

export function texts(files: Record<string, Uint8Array>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([p, d]) => [p, dec.decode(d)]));
}

/** Files whose text contains `needle`. */
export function filesWith(files: Record<string, Uint8Array>, needle: string): string[] {
  return Object.entries(texts(files))
    .filter(([, t]) => t.includes(needle))
    .map(([p]) => p)
    .sort();
}

export const newKey = generatePlantedKey;

/** A tiny Vite starter that calls OpenAI from the browser with a `VITE_` key (chapter 3's mistake). */
export function viteStarter(key: string, secret: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'package.json': JSON.stringify({ name: 'tiny', private: true, type: 'module', scripts: { build: 'vite build' } }, null, 2),
    '.env': `VITE_OPENAI_API_KEY=${key}\nOPENAI_ADMIN_SECRET=${secret}\n`,
    'index.html':
      '<!doctype html>\n<html>\n<head><meta charset="utf-8"><title>Tiny</title></head>\n<body>\n<div id="app"></div>\n<script type="module" src="/src/main.js"></script>\n</body>\n</html>\n',
    'src/main.js':
      "import { ask } from './api.js';\n" +
      "document.querySelector('#app').textContent = 'mode ' + import.meta.env.MODE;\n" +
      'ask("hi").then(console.log);\n',
    'src/api.js':
      'export async function ask(q) {\n' +
      "  const r = await fetch('https://api.openai.com/v1/chat/completions', {\n" +
      "    method: 'POST',\n" +
      "    headers: { Authorization: 'Bearer ' + import.meta.env.VITE_OPENAI_API_KEY, 'X-Admin': String(import.meta.env.OPENAI_ADMIN_SECRET) },\n" +
      "    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: q }] }),\n" +
      '  });\n' +
      '  return r.json();\n' +
      '}\n',
    ...extra,
  };
}
