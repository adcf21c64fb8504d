// The in-browser engine's workspace: the editor's files held in memory, plus what the worker's
// bundler writes (dist/). Exposed to the leak detector as a ReadonlyFs, exactly like the Node and
// WebContainer file systems, so the checks do not know which engine they run on.
import type { EntryKind, FileMap, ReadonlyFs } from '../../lib/fs/types.ts';

const encoder = new TextEncoder();

/** "./a//b/" → "a/b"; rejects paths that leave the root, because the fs has nothing above it. */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw new Error(`Path "${path}" leaves the project folder: use a path inside it, e.g. "src/main.js".`);
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.join('/');
}

export class MemoryFs implements ReadonlyFs {
  private readonly files = new Map<string, Uint8Array>();

  constructor(files: FileMap | Record<string, string | Uint8Array> = {}) {
    for (const [path, content] of Object.entries(files)) this.write(path, content);
  }

  write(path: string, content: string | Uint8Array): void {
    const p = normalizePath(path);
    if (p === '') throw new Error('Cannot write a file at the project root path "": give a file name.');
    this.files.set(p, typeof content === 'string' ? encoder.encode(content) : content);
  }

  /** Removes a file or a whole folder (like `rm -rf`); a missing path is not an error. */
  remove(path: string): void {
    const p = normalizePath(path);
    if (p === '') {
      this.files.clear();
      return;
    }
    this.files.delete(p);
    for (const key of [...this.files.keys()]) if (key.startsWith(`${p}/`)) this.files.delete(key);
  }

  clear(): void {
    this.files.clear();
  }

  has(path: string): boolean {
    return this.files.has(normalizePath(path));
  }

  /** Every file with its bytes, paths relative to the root (the bundler's input). */
  entries(): Array<[string, Uint8Array]> {
    return [...this.files.entries()];
  }

  async readdir(path: string): Promise<Array<{ name: string; kind: EntryKind }>> {
    const p = normalizePath(path);
    const prefix = p === '' ? '' : `${p}/`;
    const seen = new Map<string, EntryKind>();
    for (const key of this.files.keys()) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) seen.set(rest, 'file');
      else seen.set(rest.slice(0, slash), 'dir');
    }
    if (seen.size === 0 && p !== '') throw enoent(path, 'readdir');
    return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, kind]) => ({ name, kind }));
  }

  async readFile(path: string): Promise<Uint8Array> {
    const data = this.files.get(normalizePath(path));
    if (!data) throw enoent(path, 'open');
    return data;
  }

  async stat(path: string): Promise<{ kind: EntryKind; size: number }> {
    const p = normalizePath(path);
    const data = this.files.get(p);
    if (data) return { kind: 'file', size: data.byteLength };
    if (p === '') return { kind: 'dir', size: 0 };
    for (const key of this.files.keys()) if (key.startsWith(`${p}/`)) return { kind: 'dir', size: 0 };
    throw enoent(path, 'stat');
  }
}

function enoent(path: string, op: string): Error {
  const error = new Error(`ENOENT: no such file or directory, ${op} '${path}'`) as Error & { code: string };
  error.code = 'ENOENT';
  return error;
}
