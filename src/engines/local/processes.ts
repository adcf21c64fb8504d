// Child processes in their own process group (spawn `detached`), so stopping one also stops
// everything it started (npm → sh → node → esbuild). Every live group is recorded, and all are
// killed when this Node process exits: an exercise never outlives the course server.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

const live = new Set<number>();

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/** True while any process of the group is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM the group, then SIGKILL whatever is left after `graceMs`. Resolves when the group is gone. */
export async function killGroup(pgid: number, graceMs = 1500): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) {
    live.delete(pgid);
    return;
  }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  signalGroup(pgid, 'SIGKILL');
  const hard = Date.now() + 2000;
  while (groupAlive(pgid) && Date.now() < hard) await new Promise((r) => setTimeout(r, 20));
  live.delete(pgid);
}

export function spawnGroup(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): ChildProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) live.add(child.pid);
  return child;
}

export function liveGroups(): number[] {
  return [...live].filter(groupAlive);
}

process.once('exit', () => {
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
});
