// The separately built editor bundle: Monaco's CSS lives only there, every file the manifest names
// exists, and what opening the workspace downloads stays within the page budget (issue 2: 800 KB
// gzip of JS and CSS in all; the chapter page itself takes ~15 KB of that).
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEditorBundle } from '../../src/components/workspace/build/editor-bundle.mjs';

type Bundle = { files: Map<string, Uint8Array>; manifest: { script: string; preload: string[]; css: string | null; workers: { editor: string } } };
let bundle: Bundle;

beforeAll(async () => {
  bundle = await buildEditorBundle();
}, 120_000);

describe('editor bundle', () => {
  it('names files that exist, with Monaco CSS in its own stylesheet', () => {
    const { files, manifest } = bundle;
    for (const p of [manifest.script, manifest.css!, manifest.workers.editor, ...manifest.preload]) expect(files.has(p), p).toBe(true);
    expect(Buffer.from(files.get(manifest.css!)!).toString()).toContain('.monaco-editor');
    expect(manifest.preload.length).toBeGreaterThan(0);
    // Grammar chunks must not carry copies of the CSS that nothing would load.
    expect([...files.keys()].filter((p) => p.startsWith('chunks/') && p.endsWith('.css'))).toEqual([]);
  });

  it('keeps what opening the workspace downloads within 780 KB gzip', () => {
    const { files, manifest } = bundle;
    const initial = [manifest.script, ...manifest.preload, manifest.css!];
    const gzip = initial.reduce((n, p) => n + gzipSync(files.get(p)!).length, 0);
    console.log(`editor bundle on open: ${(gzip / 1024).toFixed(1)} KB gzip in ${initial.length} files`);
    expect(gzip).toBeLessThanOrEqual(780 * 1024);
  });

  it('keeps the diff editor ("Compare with a solution") in a chunk that opening the editor does not load', () => {
    const { files, manifest } = bundle;
    const diff = [...files.keys()].filter((p) => /^chunks\/diff-editor-[A-Z0-9]+\.js$/.test(p));
    expect(diff).toHaveLength(1);
    const initial = [manifest.script, ...manifest.preload];
    expect(initial).not.toContain(diff[0]);
    // Reached only through import() (a static import would make the browser fetch it on open).
    const name = diff[0]!.slice('chunks/'.length);
    for (const p of initial) {
      const js = Buffer.from(files.get(p)!).toString();
      expect(js, p).not.toMatch(new RegExp(`(?:from|import)\\s*["'][^"']*${name.replace('.', '\\.')}["']`));
    }
    expect(Buffer.from(files.get(manifest.script)!).toString()).toMatch(new RegExp(`import\\(["'][^"']*${name.replace('.', '\\.')}["']\\)`));
  });
});
