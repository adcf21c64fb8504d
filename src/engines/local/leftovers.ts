// What a crashed or killed (kill -9) course server leaves behind, cleaned at the next start:
// - session folders (tmp/leakproof-*: workspace with the learner's .env, home, tmp) whose owner
//   process is gone; each folder names its owner in OWNER_FILE (pid + start time, so a reused pid
//   does not count as alive);
// - processes still carrying the session marker of a server that is gone (processes.ts);
// - half-finished dependency installs (deps/<hash>.tmp-*) of a process that is gone, and
//   installed dependencies no session has used for `unusedDays` (default 30).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killMarked } from './processes.ts';

export const OWNER_FILE = '.leakproof-owner';
/** Touched each time a session links an installed dependency folder. */
export const USED_FILE = '.leakproof-used';

/** Start time of a process in clock ticks since boot (Linux), or '' elsewhere. */
function startTicks(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

let me: string | null = null;
/** This process, as `pid-starttime`: stays unique even when the pid is reused later. */
export function serverIdentity(): string {
  return (me ??= `${process.pid}-${startTicks(process.pid)}`);
}

export function ownerStamp(): string {
  return `${serverIdentity()}\n`;
}

/** True while the process named by `identity` (pid-starttime) runs. */
export function identityAlive(identity: string): boolean {
  const m = /^(\d+)-(\d*)$/.exec(identity.trim());
  if (!m) return false;
  const pid = Number(m[1]);
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  // A zombie (killed, not reaped: some containers' PID 1 never reaps) is gone too.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2)[0]!)) return false;
  } catch {
    return false;
  }
  return startTicks(pid) === m[2];
}

const HOUR = 3_600_000;

async function ownerGone(folder: string, ageMs: number, noOwnerAfterMs: number): Promise<boolean> {
  const owner = await readFile(join(folder, OWNER_FILE), 'utf8').catch(() => null);
  // A folder from a version without owner files: only once it is clearly old.
  if (owner === null) return ageMs > noOwnerAfterMs;
  return !identityAlive(owner);
}

export interface CleanOptions {
  tmp?: string;
  cacheDir?: string;
  /** Installed dependencies unused for this many days are removed (default 30). */
  unusedDays?: number;
}

/** Removes leftovers of servers that are gone; returns what it removed (folders and killed pids). */
export async function cleanLeftovers(o: CleanOptions = {}): Promise<string[]> {
  const removed: string[] = [];
  const now = Date.now();
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  // 1. Processes marked by a server that is gone (kill -9 leaves them running).
  const dead = new Map<string, boolean>();
  const killed = await killMarked((value) => {
    const owner = value.split('.')[0] ?? '';
    if (!dead.has(owner)) dead.set(owner, !identityAlive(owner));
    return dead.get(owner)!;
  });
  for (const pid of killed) removed.push(`process ${pid}`);
  // 2. Session folders.
  const tmp = o.tmp ?? tmpdir();
  for (const name of safeList(tmp)) {
    if (!name.startsWith('leakproof-')) continue;
    const folder = join(tmp, name);
    const s = await stat(folder).catch(() => null);
    if (!s?.isDirectory() || (uid !== null && s.uid !== uid)) continue;
    if (await ownerGone(folder, now - s.mtimeMs, 24 * HOUR)) {
      await rm(folder, { recursive: true, force: true }).catch(() => {});
      removed.push(folder);
    }
  }
  // 3. The dependency cache.
  if (o.cacheDir) {
    const deps = join(o.cacheDir, 'deps');
    const unusedMs = (o.unusedDays ?? 30) * 24 * HOUR;
    for (const name of safeList(deps)) {
      const folder = join(deps, name);
      const s = await stat(folder).catch(() => null);
      if (!s?.isDirectory()) continue;
      let gone: boolean;
      if (name.includes('.tmp-')) gone = await ownerGone(folder, now - s.mtimeMs, HOUR);
      else {
        const used = await stat(join(folder, USED_FILE)).catch(() => null);
        gone = now - (used ?? s).mtimeMs > unusedMs;
      }
      if (gone) {
        await rm(folder, { recursive: true, force: true }).catch(() => {});
        removed.push(folder);
      }
    }
  }
  return removed;
}

function safeList(dir: string): string[] {
  try {
    return statSync(dir).isDirectory() ? readdirSync(dir) : [];
  } catch {
    return [];
  }
}
