// ReadonlyFs over a workspace folder. Symlinks are reported as symlinks and never followed, so the
// node_modules link into the dependency cache is not scanned as the learner's files.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { EntryKind, ReadonlyFs } from '../../lib/fs/types.ts';

export function workspaceFs(root: string): ReadonlyFs {
  const abs = (p: string) => {
    const full = resolve(root, p === '.' ? '' : p);
    if (full !== root && !full.startsWith(root + sep)) throw new Error(`Path "${p}" is outside the workspace.`);
    return full;
  };
  const kindOf = (s: { isSymbolicLink(): boolean; isDirectory(): boolean }): EntryKind =>
    s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'dir' : 'file';
  return {
    async readdir(p) {
      const entries = await readdir(abs(p), { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, kind: kindOf(e) }));
    },
    async readFile(p) {
      return new Uint8Array(await readFile(abs(p)));
    },
    async stat(p) {
      const s = await lstat(abs(p));
      return { kind: kindOf(s), size: s.size };
    },
    async *readChunks(p, chunkSize = 1 << 20) {
      for await (const chunk of createReadStream(abs(p), { highWaterMark: chunkSize })) yield new Uint8Array(chunk as Buffer);
    },
  };
}

