// Child processes in their own process group (spawn `detached`), so stopping one also stops
// everything it started (npm → sh → node → esbuild). Every live group is recorded, and all are
// killed when this Node process exits: an exercise never outlives the course server.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const live = new Set<number>();

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/**
 * Live (non-zombie) members of a process group. On Linux from /proc, because a zombie still
 * answers kill(-pgid, 0) until its parent (or PID 1) reaps it, which some containers never do.
 */
export function groupMembers(pgid: number): number[] | null {
  if (process.platform !== 'linux') return null;
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  const out: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so split after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') out.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** True while any process of the group is alive (zombies do not count). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  const members = groupMembers(pgid);
  return members === null ? true : members.length > 0;
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
