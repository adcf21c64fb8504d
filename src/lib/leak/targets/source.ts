// The `source` target: every file git would commit from this folder. Like git, we honour nested
// .gitignore files and .git/info/exclude (later and deeper rules win; a file in an ignored folder
// cannot be re-included), never descend into .git/, and never follow symlinks out of the tree.
// Files already tracked in .git/index are committed even when ignored, so they are always scanned.
// node_modules is treated like any folder: skipped when ignored, scanned when git would commit it.
// The user's global excludes file (core.excludesFile) is not read: it differs per machine.
import ignore, { type Ignore } from 'ignore';
import type { ReadonlyFs } from '../../fs/types.ts';
import type { AuditOptions, Finding } from '../types.ts';
import { joinPath, scanFiles } from './scan-files.ts';
import { trackedPaths } from './git-index-files.ts';

interface Level {
  /** Folder the rules belong to, relative to the audited root ('' = root). */
  base: string;
  rules: Ignore;
}

const decoder = new TextDecoder();

async function readText(fs: ReadonlyFs, path: string): Promise<string | null> {
  try {
    const s = await fs.stat(path);
    if (s.kind !== 'file') return null;
    return decoder.decode(await fs.readFile(path));
  } catch {
    return null;
  }
}

function rel(base: string, path: string): string {
  return base ? path.slice(base.length + 1) : path;
}

/** The files git would commit under `dir` (paths include `dir`), sorted. */
export async function committableFiles(fs: ReadonlyFs, dir: string): Promise<string[]> {
  const root = dir && dir !== '.' ? dir.replace(/\/+$/, '') : '';
  const strip = (p: string) => (root ? p.slice(root.length + 1) : p);
  const levels = new Map<string, Level[]>(); // folder → its rule chain, lowest precedence first
  const exclude = await readText(fs, joinPath(root, '.git/info/exclude'));
  const top: Level[] = [];
  if (exclude) top.push({ base: '', rules: ignore({ ignorecase: false }).add(exclude) });
  const chainFor = async (folder: string): Promise<Level[]> => {
    const known = levels.get(folder);
    if (known) return known;
    const parent = folder ? await chainFor(folder.includes('/') ? folder.slice(0, folder.lastIndexOf('/')) : '') : top;
    const text = await readText(fs, joinPath(root, folder ? `${folder}/.gitignore` : '.gitignore'));
    const chain = text ? [...parent, { base: folder, rules: ignore({ ignorecase: false }).add(text) }] : parent;
    levels.set(folder, chain);
    return chain;
  };
  const isIgnored = async (path: string, isDir: boolean): Promise<boolean> => {
    const r = strip(path);
    const folder = r.includes('/') ? r.slice(0, r.lastIndexOf('/')) : '';
    let ignored = false;
    for (const level of await chainFor(folder)) {
      const t = level.rules.test(rel(level.base, r) + (isDir ? '/' : ''));
      if (t.ignored) ignored = true;
      else if (t.unignored) ignored = false;
    }
    return ignored;
  };
  // walkFiles takes a synchronous filter: collect the decision per folder first.
  const files: string[] = [];
  const walk = async (d: string) => {
    const entries = await walkOne(fs, d);
    for (const e of entries) {
      const p = joinPath(d, e.name);
      const r = strip(p);
      if (r === '.git' || r.endsWith('/.git')) continue;
      if (e.kind === 'symlink') continue;
      if (await isIgnored(p, e.kind === 'dir')) continue;
      if (e.kind === 'dir') await walk(p);
      else files.push(p);
    }
  };
  await walk(root);
  // Tracked files are committed even when ignored.
  const index = await fs.stat(joinPath(root, '.git/index')).then(
    (s) => (s.kind === 'file' ? fs.readFile(joinPath(root, '.git/index')) : null),
    () => null,
  );
  if (index) {
    let tracked: string[] = [];
    try {
      tracked = trackedPaths(index);
    } catch {
      tracked = []; // an unreadable index: fall back to the ignore rules alone
    }
    const have = new Set(files);
    for (const t of tracked) {
      const p = joinPath(root, t);
      if (have.has(p)) continue;
      const s = await fs.stat(p).catch(() => null);
      if (s?.kind === 'file') (files.push(p), have.add(p));
    }
  }
  return files.sort();
}

async function walkOne(fs: ReadonlyFs, d: string) {
  const entries = await fs.readdir(d);
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function auditSource(options: AuditOptions): Promise<Finding[]> {
  const dir = options.dir ?? '';
  let files: string[];
  try {
    files = await committableFiles(options.fs, dir);
  } catch (e) {
    throw new Error(`Cannot read the project folder "${dir || '.'}": ${(e as Error).message}. Pass the folder that holds the project's files.`);
  }
  return scanFiles(options.fs, files, options.key, 'source', options.decompress);
}

