// Dependencies of an exercise template: installed ONCE per lockfile into a shared cache
// (`npm ci` in <cache>/deps/<sha256 of package-lock.json>), then linked into each workspace as
// node_modules. A second run of any chapter with the same lockfile installs nothing and needs no
// network.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, symlink, lstat, writeFile } from 'node:fs/promises';
import { OWNER_FILE, ownerStamp, USED_FILE } from './leftovers.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function defaultCacheDir(): string {
  return process.env.LEAKPROOF_CACHE_DIR || join(repoRoot, 'node_modules', '.cache', 'leakproof');
}

const installing = new Map<string, Promise<string>>();

/** True when the lockfile lists no package besides the project itself. */
function hasNoDependencies(lock: string): boolean {
  try {
    const packages = (JSON.parse(lock) as { packages?: Record<string, unknown> }).packages;
    return !!packages && Object.keys(packages).every((k) => k === '');
  } catch {
    return false;
  }
}

export type Runner = (command: string, args: string[], cwd: string) => Promise<{ exitCode: number | null; output: string; timedOut: boolean }>;

/**
 * Make `workspace/node_modules` point at installed dependencies for the workspace's lockfile.
 * Returns 'none' (no lockfile), 'empty' (a lockfile without dependencies), 'cached' or 'installed'.
 */
export async function linkDependencies(
  workspace: string,
  cacheDir: string,
  run: Runner,
  progress?: (text: string) => void,
): Promise<'none' | 'empty' | 'cached' | 'installed'> {
  const lockPath = join(workspace, 'package-lock.json');
  if (!existsSync(lockPath) || !existsSync(join(workspace, 'package.json'))) return 'none';
  const lock = await readFile(lockPath, 'utf8');
  if (hasNoDependencies(lock)) return 'empty';
  const hash = createHash('sha256').update(lock).digest('hex').slice(0, 24);
  const target = join(cacheDir, 'deps', hash);
  let state: 'cached' | 'installed' = 'cached';
  if (!existsSync(join(target, '.leakproof-complete'))) {
    state = 'installed';
    let job = installing.get(hash);
    if (!job) {
      job = install(workspace, target, run, progress).finally(() => installing.delete(hash));
      installing.set(hash, job);
    }
    await job;
  }
  // Last use, for pruning folders no chapter has used for a long time (leftovers.ts).
  await writeFile(join(target, USED_FILE), new Date().toISOString()).catch(() => {});
  const link = join(workspace, 'node_modules');
  const existing = await lstat(link).catch(() => null);
  if (existing) await rm(link, { recursive: true, force: true });
  await symlink(join(target, 'node_modules'), link, 'dir');
  return state;
}

async function install(workspace: string, target: string, run: Runner, progress?: (text: string) => void): Promise<string> {
  // Install in a private folder, then rename: a half-finished install is never used.
  const tmp = `${target}.tmp-${randomBytes(4).toString('hex')}`;
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, OWNER_FILE), ownerStamp());
  await copyFile(join(workspace, 'package.json'), join(tmp, 'package.json'));
  await copyFile(join(workspace, 'package-lock.json'), join(tmp, 'package-lock.json'));
  progress?.('installing dependencies from the lockfile (first run only)');
  // --ignore-scripts: no package (and not the learner's own package.json) runs code during the
  // install. No chapter needs an install script: esbuild, Vite and Rollup find their platform
  // binaries through optional dependencies.
  const r = await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], tmp);
  if (r.exitCode !== 0) {
    await rm(tmp, { recursive: true, force: true });
    throw new Error(
      `Installing the project's dependencies (npm ci) failed${r.timedOut ? ' (it took too long)' : ` with exit code ${r.exitCode}`}. ` +
        `The first run needs network access to the npm registry; later runs use the cache. What npm printed last:\n${r.output.trimEnd().split('\n').slice(-12).join('\n')}`,
    );
  }
  await writeFile(join(tmp, '.leakproof-complete'), new Date().toISOString());
  await rm(join(tmp, OWNER_FILE), { force: true });
  try {
    await rename(tmp, target);
  } catch {
    // Another process finished the same install first: use theirs.
    await rm(tmp, { recursive: true, force: true });
  }
  return target;
}
