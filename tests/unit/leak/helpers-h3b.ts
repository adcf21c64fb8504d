// Test helpers for the git / docker / image / scan / CLI tests (H3b): a ReadonlyFs over node:fs,
// planted-style fake keys, and a plain-substring detector used until the real core is wired in.
import { readdirSync, statSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ReadonlyFs } from '../../../src/lib/fs/types.ts';
import type { KeyDetector } from '../../../src/lib/leak/types.ts';

export function nodeFs(root: string): ReadonlyFs {
  const abs = (p: string) => join(root, p || '.');
  return {
    async readdir(p) {
      return readdirSync(abs(p), { withFileTypes: true }).map((d) => ({
        name: d.name,
        kind: d.isDirectory() ? 'dir' : d.isSymbolicLink() ? 'symlink' : 'file',
      }));
    },
    async readFile(p) {
      return new Uint8Array(readFileSync(abs(p)));
    },
    async stat(p) {
      const s = statSync(abs(p));
      return { kind: s.isDirectory() ? 'dir' : 'file', size: s.size };
    },
    async *readChunks(p, size = 1 << 20) {
      const buf = readFileSync(abs(p));
      for (let i = 0; i < buf.length; i += size) yield new Uint8Array(buf.subarray(i, i + size));
    },
  };
}

const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export function randomChars(n: number, alphabet = URLSAFE): string {
  const b = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[b[i] % alphabet.length];
  return s;
}
/** A planted-style fake key: real prefix and length, no marker. */
export function fakeKey(): string {
  return 'sk-proj-' + randomChars(156);
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `lp-${tag}-`));
}

/** Finds only the plain key: enough to test what a target enumerates. */
export const plainDetector: KeyDetector = (key, bytes, ctx) => {
  const text = new TextDecoder().decode(bytes);
  const i = text.indexOf(key);
  if (i < 0) return [];
  const line = text.slice(0, i).split('\n').length;
  return [{ target: ctx.target, file: ctx.file, line, column: 1, form: 'plain', excerpt: key.slice(0, 10) + '…', message: 'found', commit: ctx.commit, layer: ctx.layer }];
};
