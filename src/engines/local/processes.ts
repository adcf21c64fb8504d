// Child processes in their own process group (spawn `detached`), so stopping one also stops
// everything it started (npm → sh → node → esbuild). Every live group is recorded, and all are
// killed when this Node process exits: an exercise never outlives the course server.
// A program can leave its group (`setsid`, `spawn(…, { detached: true })`). So every process also
// carries its session's marker in its environment (LEAKPROOF_SESSION), and stopping a session
// also ends every process on this machine whose environment holds that marker (read from /proc).
// A program that also empties its environment before it detaches escapes the marker: only the
// bubblewrap sandbox (sandbox.ts: own PID namespace, killed as a whole) closes that gap.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The environment variable that marks every process of one exercise session. */
export const SESSION_MARKER = 'LEAKPROOF_SESSION';

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
  const marker = options.env[SESSION_MARKER];
  if (marker) liveMarkers.add(marker);
  return child;
}

const liveMarkers = new Set<string>();

/** Pids (not zombies) whose environment holds `SESSION_MARKER=<value>` for one of `values` (Linux). */
export function markedProcesses(accept: (value: string) => boolean): Array<{ pid: number; value: string }> {
  if (process.platform !== 'linux') return [];
  const out: Array<{ pid: number; value: string }> = [];
  const prefix = `${SESSION_MARKER}=`;
  let names: string[] = [];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${name}/environ`, 'latin1');
    } catch {
      continue; // gone, or another account's process (not readable, and not ours to stop)
    }
    const at = environ.indexOf(prefix);
    if (at < 0 || (at > 0 && environ[at - 1] !== '\0')) continue;
    const end = environ.indexOf('\0', at);
    const value = environ.slice(at + prefix.length, end < 0 ? undefined : end);
    if (accept(value) && !isZombie(Number(name))) out.push({ pid: Number(name), value });
  }
  return out;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return ['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2)[0]!);
  } catch {
    return true;
  }
}

/**
 * Ends every process marked with `marker`, however it detached. Stops them first (SIGSTOP), so none
 * can fork a new one while we look, until a scan finds no new one; then kills them all.
 */
export async function killMarked(marker: string | ((value: string) => boolean)): Promise<number[]> {
  const accept = typeof marker === 'string' ? (v: string) => v === marker : marker;
  const seen = new Set<number>();
  for (let round = 0; round < 50; round++) {
    const found = markedProcesses(accept).filter((p) => !seen.has(p.pid));
    if (found.length === 0) break;
    for (const { pid } of found) {
      seen.add(pid);
      try {
        process.kill(pid, 'SIGSTOP');
      } catch {}
    }
  }
  for (const pid of seen) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  const until = Date.now() + 2000;
  while ([...seen].some((p) => !isZombie(p)) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  if (typeof marker === 'string') liveMarkers.delete(marker);
  return [...seen];
}

export function liveGroups(): number[] {
  return [...live].filter(groupAlive);
}

process.once('exit', () => {
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
  if (liveMarkers.size === 0) return;
  // Synchronous on the way out: whatever carries one of our sessions' markers goes too.
  for (let round = 0; round < 5; round++) {
    const found = markedProcesses((v) => liveMarkers.has(v));
    if (found.length === 0) break;
    for (const { pid } of found) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }
});
