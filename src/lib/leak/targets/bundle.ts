// The `bundle` target: everything in a build output folder is shipped to every visitor, so every
// file counts — JS, CSS, HTML, source maps (their embedded sources too), hidden maps, dotfiles copied
// from public/, precompressed .gz/.br copies, data: URLs. Nothing is ignored.
import type { AuditOptions, Finding } from '../types.ts';
import { scanFiles, walkFiles } from './scan-files.ts';

export async function auditBundle(options: AuditOptions): Promise<Finding[]> {
  const dir = options.dir ?? '';
  let files: string[];
  try {
    files = await walkFiles(options.fs, dir);
  } catch (e) {
    throw new Error(`Cannot read the build output folder "${dir || '.'}": ${(e as Error).message}. Build the project first, then pass its output folder (e.g. dist).`);
  }
  return scanFiles(options.fs, files, options.key, 'bundle', options.decompress);
}
