// Optional sandbox for exercise processes: bubblewrap (`bwrap`), where installed, with
// LEAKPROOF_SANDBOX=bwrap. Without it the local engine runs exercise code with the user's own
// rights (README, "What the local engine may do on your machine"). Inside it:
// - its own PID namespace (--unshare-pid): the program sees only its own processes in /proc (not
//   the course server's environment through /proc/$PPID/environ), and when the sandbox ends every
//   process in it ends, however it detached (setsid, detached spawn); --die-with-parent ends it
//   with the course server, even after kill -9;
// - no home directory (/home, /root and /tmp are empty), the rest of the system read-only;
// - read-write only the session's own folder (workspace, home, tmp) and npm's download cache; the
//   shared dependency cache is read-only except for the engine's own install.
// The network is shared: the checks reach the learner's server and the mock platform on loopback.
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

export type SandboxKind = 'none' | 'bwrap';

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH || '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    const f = join(dir, name);
    if (dir && existsSync(f)) return f;
  }
  return null;
}

let probed: string | null | undefined;

/** Why bwrap cannot be used here, or null when it works (probed once per process). */
export function bwrapProblem(): string | null {
  if (probed !== undefined) return probed;
  const bin = findOnPath('bwrap');
  if (!bin) return (probed = 'bubblewrap is not installed (Debian/Ubuntu: sudo apt-get install bubblewrap).');
  try {
    execFileSync(bin, ['--die-with-parent', '--unshare-pid', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true'], { stdio: 'pipe', timeout: 10_000 });
    return (probed = null);
  } catch (e) {
    const why = String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim();
    return (probed = `bubblewrap is installed but cannot start a sandbox here (${why || 'unknown error'}); user namespaces may be switched off.`);
  }
}

/** The sandbox asked for with LEAKPROOF_SANDBOX (none by default). Asking for bwrap where it cannot run is an error, never a silent fallback. */
export function sandboxFromEnv(value = process.env.LEAKPROOF_SANDBOX): SandboxKind {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'none' || v === 'off') return 'none';
  if (v !== 'bwrap') throw new Error(`LEAKPROOF_SANDBOX=${value} is not a sandbox the local engine knows: use "bwrap" (bubblewrap) or leave it unset.`);
  const problem = bwrapProblem();
  if (problem) throw new Error(`LEAKPROOF_SANDBOX=bwrap was asked for, but ${problem}`);
  return 'bwrap';
}

export interface SandboxPaths {
  /** The session's folder (workspace, home, tmp): read-write. */
  base: string;
  /** The shared dependency cache: read-only, or read-write for the engine's own install. */
  cacheDir: string;
  cacheWritable: boolean;
  cwd: string;
  /** Writable folders of the session mounted over folders of the read-only cache: [private, inCache]. */
  scratch?: Array<[string, string]>;
}

/** Folders of the Node and npm the engine runs, in case they live in a home directory (nvm, npx). */
function toolFolders(): string[] {
  const out = [dirname(dirname(process.execPath))];
  const npm = findOnPath('npm');
  if (npm) {
    try {
      out.push(resolve(realpathSync(npm), '..', '..'));
    } catch {}
  }
  return out;
}

/** `bwrap … -- command args` for one exercise process. */
export function bwrapCommand(command: string, args: string[], p: SandboxPaths): { command: string; args: string[] } {
  const a = ['--die-with-parent', '--unshare-pid', '--new-session', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  for (const hidden of ['/tmp', '/home', '/root', '/run/user']) if (existsSync(hidden)) a.push('--tmpfs', hidden);
  for (const tool of toolFolders()) if (existsSync(tool)) a.push('--ro-bind', tool, tool);
  const cache = resolve(p.cacheDir);
  if (existsSync(cache)) a.push(p.cacheWritable ? '--bind' : '--ro-bind', cache, cache);
  const npmCache = join(cache, 'npm');
  if (existsSync(npmCache)) a.push('--bind', npmCache, npmCache);
  a.push('--bind', p.base, p.base);
  // Tools write temporary files into node_modules (Vite: node_modules/.vite-temp for its bundled
  // config): each session gets its own writable folder there, the shared cache stays read-only.
  if (!p.cacheWritable) for (const [mine, inCache] of p.scratch ?? []) a.push('--bind', mine, inCache);
  a.push('--chdir', p.cwd, '--', command, ...args);
  return { command: 'bwrap', args: a };
}
