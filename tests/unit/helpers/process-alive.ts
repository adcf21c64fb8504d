import { readFileSync } from 'node:fs';

/**
 * Alive and not a zombie. Written apart from the engine's own check on purpose, so the tests do not
 * trust the code they test. A container's PID 1 may never reap orphans, so a dead process can
 * linger as Z.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2)[0]!);
  } catch {
    return process.platform !== 'linux';
  }
}
