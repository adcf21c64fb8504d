// Putting the planted key into a chapter's files, and building the solved project from the starter.
import type { FileMap } from '../fs/types.ts';
import { PLANTED_KEY_PLACEHOLDER } from './define.ts';

/** Every `{{PLANTED_KEY}}` in every file replaced by the key (usually only `.env` has one). */
export function plantKey(files: FileMap, key: string): FileMap {
  const out: FileMap = {};
  for (const [path, text] of Object.entries(files)) out[path] = text.split(PLANTED_KEY_PLACEHOLDER).join(key);
  return out;
}

/** The solved project: starter, minus `deletes`, with the solution overlay on top. */
export function solutionFiles(starter: FileMap, overlay: FileMap, deletes: string[] = []): FileMap {
  const gone = new Set(deletes.map(normalizePath));
  const out: FileMap = {};
  for (const [path, text] of Object.entries(starter)) if (!gone.has(normalizePath(path))) out[path] = text;
  return { ...out, ...overlay };
}

/** "./src//a.ts" → "src/a.ts": FileMap keys are POSIX paths relative to the project root. */
export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/{2,}/g, '/').replace(/^\/+/, '');
}
