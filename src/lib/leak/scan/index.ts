// `scan`: real-looking OpenAI keys (see rules.ts) in a project's committable files, its git
// history, its Docker files and build context, a built bundle or an image. The targets are the same
// code as the planted-key audit: each target enumerates (file, bytes) and calls a detector; here the
// detector is the rule matcher instead of the known-key finder.
import ignore, { type Ignore } from 'ignore';
import type { ReadonlyFs } from '../../fs/types.ts';
import type { Decompressors, Finding, KeyDetector, Target } from '../types.ts';
import { auditGit } from '../targets/git.ts';
import { auditDocker } from '../targets/docker.ts';
import { auditImage } from '../targets/image.ts';
import { detectFile, listFiles } from '../targets/read-detect.ts';
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

/** Files git would commit: every file except `.git/` and what nested .gitignore files exclude. */
export async function committableFiles(fs: ReadonlyFs, dir = ''): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string, rules: Array<{ base: string; ig: Ignore }>) => {
    const here = rules.slice();
    try {
      const text = new TextDecoder().decode(await fs.readFile(join(join(dir, rel), '.gitignore')));
      here.push({ base: rel, ig: ignore().add(text) });
    } catch {
      // no .gitignore in this folder
    }
    const entries = await fs.readdir(rel ? join(dir, rel) : dir);
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (e.name === '.git') continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      const isDir = e.kind === 'dir';
      const ignored = here.some(({ base, ig }) => ig.ignores((base ? p.slice(base.length + 1) : p) + (isDir ? '/' : '')));
      if (ignored) continue;
      if (isDir) await walk(p, here);
      else if (e.kind === 'file') out.push(p);
    }
  };
  await walk('', []);
  return out;
}

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
      const files = target === 'source' ? await committableFiles(fs, dir) : await listFiles(fs, dir);
      for (const f of files) findings.push(...(await detectFile(fs, join(dir, f), '', detect, { file: f, target })));
    } else if (target === 'git') findings.push(...(await auditGit({ key: '', fs, dir, detect })));
    else if (target === 'docker') findings.push(...(await auditDocker({ key: '', fs, dir, detect })));
    else if (target === 'image') findings.push(...(await auditImage({ key: '', fs, path: opts.imagePath ?? dir, detect })));
  }
  return findings;
}
