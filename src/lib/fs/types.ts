/** A project's text files by POSIX path relative to its root ("src/main.ts", ".env"). */
export type FileMap = Record<string, string>;

export type EntryKind = 'file' | 'dir' | 'symlink';

/** Read-only file access that every place the checker runs can provide (Node, worker, WebContainer). */
export interface ReadonlyFs {
  /** Entries of a folder; `path` is relative to the root, '' or '.' for the root. */
  readdir(path: string): Promise<Array<{ name: string; kind: EntryKind }>>;
  readFile(path: string): Promise<Uint8Array>;
  stat(path: string): Promise<{ kind: EntryKind; size: number }>;
  /** Optional: read a large file in chunks instead of whole. */
  readChunks?(path: string, chunkSize?: number): AsyncIterable<Uint8Array>;
}
