// `scan`: real-looking OpenAI keys (see rules.ts) in a project's committable files, its git
// history, its Docker files and build context, a built bundle or an image. The targets are the same
// code as the planted-key audit: each target enumerates (file, bytes) and calls a detector; here the
// detector is the rule matcher instead of the known-key finder.
import type { ReadonlyFs } from '../../fs/types.ts';
import type { Decompressors, Finding, KeyDetector, Target } from '../types.ts';
import { auditGit } from '../targets/git.ts';
import { auditDocker } from '../targets/docker.ts';
import { auditImage } from '../targets/image.ts';
import { detectFile, listFiles } from '../targets/read-detect.ts';
import { committableFiles } from '../targets/source.ts';
import { scanBytes } from './scan-bytes.ts';

export { RULES, MARKER, matchRules, dummyReason, entropy } from './rules.ts';
export { scanBytes, findInText } from './scan-bytes.ts';

export interface ScanOptions {
  fs: ReadonlyFs;
  dir?: string;
  /** Default: source and git (git only when the folder is a repository). */
  targets?: Target[];
  decompress?: Decompressors;
  /** For `image`: the tarball or layout folder (default: `dir`). */
  imagePath?: string;
}

export function scanDetector(decompress?: Decompressors): KeyDetector {
  return (_key, bytes, ctx) => scanBytes(bytes, { ...ctx, decompress });
}

const join = (a: string, b: string) => (a ? `${a.replace(/\/$/, '')}/${b}` : b);

async function isRepo(fs: ReadonlyFs, dir: string): Promise<boolean> {
  try {
    return (await fs.stat(join(dir, '.git'))).kind === 'dir';
  } catch {
    return false;
  }
}

export async function scanProject(opts: ScanOptions): Promise<Finding[]> {
  const { fs, decompress } = opts;
  const dir = opts.dir ?? '';
  const detect = scanDetector(decompress);
  const targets = opts.targets ?? (['source', ...((await isRepo(fs, dir)) ? (['git'] as const) : [])] as Target[]);
  const findings: Finding[] = [];
  for (const target of targets) {
    if (target === 'source' || target === 'bundle') {
      // committableFiles gives paths that include `dir`; listFiles gives them relative to it.
      const root = dir && dir !== '.' ? dir.replace(/\/+$/, '') + '/' : '';
      const files = target === 'source' ? (await committableFiles(fs, dir)).map((p) => p.slice(root.length)) : await listFiles(fs, dir);
      for (const f of files) findings.push(...(await detectFile(fs, join(dir, f), '', detect, { file: f, target })));
    } else if (target === 'git') findings.push(...(await auditGit({ key: '', fs, dir, detect })));
    else if (target === 'docker') findings.push(...(await auditDocker({ key: '', fs, dir, detect })));
    else if (target === 'image') findings.push(...(await auditImage({ key: '', fs, path: opts.imagePath ?? dir, detect })));
  }
  return findings;
}
