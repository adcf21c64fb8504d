// A folder's text files as a FileMap (dotfiles included; node_modules, .git and binary files left
// out: a FileMap holds text, and the page edits text).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileMap } from '../lib/fs/types.ts';

const SKIP = new Set(['node_modules', '.git']);

export function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

export async function readTextTree(root: string, options: { skipped?: string[] } = {}): Promise<FileMap> {
  const out: FileMap = {};
  const walk = async (rel: string) => {
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) await walk(path);
      } else if (e.isFile()) {
        const bytes = await readFile(join(root, path));
        if (isBinary(bytes)) options.skipped?.push(path);
        else out[path] = new TextDecoder().decode(bytes);
      }
    }
  };
  await walk('');
  return out;
}
