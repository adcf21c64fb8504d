// Reads a chapter's starter project (lessons/<chapter>/<exercise>/files/) into a FileMap at build
// time, so the page can show it before any engine runs. Every text file is included, dotfiles too
// (.env, .gitignore are the point of the course); the {{PLANTED_KEY}} placeholder is left as is —
// the engine swaps in a fresh key per attempt.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FileMap } from '../lib/fs/types.ts';

/** Folders that are never part of a starter project even if an author left them on disk. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
/** Guard against an author committing a build output or a binary by mistake. */
const MAX_FILE_BYTES = 512 * 1024;

export function readExerciseFiles(exerciseDir: string): FileMap {
  const filesDir = join(exerciseDir, 'files');
  let isDir = false;
  try {
    isDir = statSync(filesDir).isDirectory();
  } catch {
    /* handled below */
  }
  if (!isDir) {
    throw new Error(
      `The exercise folder ${exerciseDir} has no files/ folder. Put the starter project in ${filesDir}, ` +
        'or remove `exercise:` from the chapter frontmatter if the chapter has no exercise.',
    );
  }
  const out: FileMap = {};
  walk(filesDir, filesDir, out);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function walk(root: string, dir: string, out: FileMap): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) walk(root, full, out);
      continue;
    }
    if (!entry.isFile()) continue;
    const rel = relative(root, full).split(sep).join('/');
    const bytes = readFileSync(full);
    if (bytes.length > MAX_FILE_BYTES) {
      throw new Error(`${full} is ${bytes.length} bytes; starter files must be small text files (at most ${MAX_FILE_BYTES}).`);
    }
    if (isBinary(bytes)) {
      throw new Error(`${full} looks binary; the workspace only holds text files. Remove it from the starter project.`);
    }
    out[rel] = bytes.toString('utf8');
  }
}

function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}
