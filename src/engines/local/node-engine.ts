// The local engine: real Node processes in a private temporary workspace (0700), an environment
// built from scratch, bounded output and run time, and process groups that are always killed;
// processes that left their group are found by the session's marker (processes.ts), and with
// LEAKPROOF_SANDBOX=bwrap every process runs in a bubblewrap sandbox (sandbox.ts).
import { randomBytes } from 'node:crypto';
import { mkdirSync, realpathSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, rm, writeFile, cp, chmod } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FileMap, ReadonlyFs } from '../../lib/fs/types.ts';
import type { Engine, EngineCapabilities, EngineProgress, RunOptions, RunResult, ServerHandle, StartServerOptions } from '../../lib/exercise/engine.ts';
import { baseEnv, installEnvExtras } from './env.ts';
import { defaultCacheDir, linkDependencies } from './deps.ts';
import { killGroup, killMarked, SESSION_MARKER, spawnGroup } from './processes.ts';
import { isDependencyPath, normaliseLearnerPath } from './learner-paths.ts';
import { bwrapCommand, sandboxFromEnv, type SandboxKind } from './sandbox.ts';
import { OWNER_FILE, ownerStamp, serverIdentity } from './leftovers.ts';
import { directScript } from './npm-run.ts';
import { workspaceFs } from './workspace-fs.ts';

/**
 * The dependency cache lives inside the course's own checkout (node_modules/.cache): a project's
 * `prepare` script run by `npm ci` there (husky, `git config core.hooksPath …`) must not find the
 * course's repository above it and change its hooks. HUSKY=0 is husky's own "skip install".
 */
function installGitFence(cacheDir: string): Record<string, string> {
  return { GIT_CEILING_DIRECTORIES: resolve(cacheDir), HUSKY: '0' };
}

export interface NodeEngineOptions {
  /** Where installed dependencies are cached (default node_modules/.cache/leakproof). */
  cacheDir?: string;
  /** Output kept per command; more is dropped with a message (default 1 MB). */
  maxOutputBytes?: number;
  /** Time limit of one command when the caller gives none (default 120 s). */
  defaultTimeoutMs?: number;
  /** `OPENAI_BASE_URL` of every exercise process (the session's mock platform). */
  platformBaseUrl?: string;
  onProgress?: (p: EngineProgress) => void;
  /** Run every process in a sandbox (default: LEAKPROOF_SANDBOX, else none). */
  sandbox?: SandboxKind;
}

const MB = 1024 * 1024;
/** Folders in node_modules that build tools write to (Vite's bundled config, caches). */
const SCRATCH = ['.vite-temp', '.vite', '.cache'];

export class NodeEngine implements Engine {
  readonly kind = 'local' as const;
  readonly capabilities: EngineCapabilities = { processes: true, servers: true };
  readonly fs: ReadonlyFs;
  /** The workspace folder (the project root of the exercise). */
  readonly root: string;
  private readonly base: string;
  private readonly options: NodeEngineOptions;
  private readonly groups = new Set<number>();
  private disposed = false;
  private env: Record<string, string>;
  /** In every process's environment: finds the ones that left their process group. */
  readonly marker = `${serverIdentity()}.${randomBytes(8).toString('hex')}`;
  readonly sandbox: SandboxKind;
  /** Aborts the running dependency install when the check is cancelled (stop, leave, new Check). */
  private signal: AbortSignal | undefined;

  private constructor(base: string, options: NodeEngineOptions) {
    this.base = base;
    this.root = join(base, 'workspace');
    this.fs = workspaceFs(this.root);
    this.options = options;
    this.sandbox = options.sandbox ?? 'none';
    this.env = this.buildEnv();
  }

  static async create(options: NodeEngineOptions = {}): Promise<NodeEngine> {
    const sandbox = options.sandbox ?? sandboxFromEnv();
    const base = await mkdtemp(join(tmpdir(), 'leakproof-'));
    await chmod(base, 0o700);
    const engine = new NodeEngine(base, { ...options, sandbox });
    // Who made this folder: the next start removes it if that process is gone (a crash, kill -9).
    await writeFile(join(base, OWNER_FILE), ownerStamp());
    await Promise.all(['workspace', 'home', 'tmp'].map((d) => mkdir(join(base, d), { mode: 0o700 })));
    await mkdir(join(engine.cacheDir, 'npm'), { recursive: true });
    return engine;
  }

  private buildEnv(): Record<string, string> {
    const env: Record<string, string> = {
      ...baseEnv({
        home: join(this.base, 'home'),
        tmp: join(this.base, 'tmp'),
        npmCache: join(this.cacheDir, 'npm'),
        platformBaseUrl: this.options.platformBaseUrl,
      }),
      // git run by an exercise (a hook installer, a history check) never climbs out of the
      // engine's own folder into a repository around it.
      GIT_CEILING_DIRECTORIES: this.base,
    };
    env[SESSION_MARKER] = this.marker;
    return env;
  }

  get cacheDir(): string {
    return this.options.cacheDir ?? defaultCacheDir();
  }

  /** Point exercise processes at a (new) mock platform. */
  setPlatformBaseUrl(url: string | undefined): void {
    this.options.platformBaseUrl = url;
    this.env = this.buildEnv();
  }

  /** The environment every process starts from (a copy). */
  environment(): Record<string, string> {
    return { ...this.env };
  }

  private abs(path: string): string {
    const full = resolve(this.root, path);
    if (full !== this.root && !full.startsWith(this.root + sep)) throw new Error(`Path "${path}" is outside the workspace.`);
    return full;
  }

  private async clear(): Promise<void> {
    for (const name of await readdir(this.root)) {
      if (name === 'node_modules') continue; // relinked by linkDependencies when the lockfile changed
      await rm(join(this.root, name), { recursive: true, force: true });
    }
  }

  async mount(files: FileMap): Promise<void> {
    this.assertLive();
    await this.stopAll();
    await this.clear();
    for (const [given, text] of Object.entries(files)) {
      const path = normaliseLearnerPath(given);
      // node_modules is a link into the shared dependency cache: never write through it.
      if (isDependencyPath(path)) continue;
      const full = this.abs(path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, text);
    }
    await this.prepareDependencies();
  }

  /** Mount a folder from disk (the CLI): everything but node_modules, including .git. */
  async mountDir(dir: string): Promise<void> {
    this.assertLive();
    await this.stopAll();
    await this.clear();
    await cp(dir, this.root, {
      recursive: true,
      force: true,
      verbatimSymlinks: true,
      filter: (src) => !relative(dir, src).split(sep).includes('node_modules'),
    });
    await this.prepareDependencies();
  }

  private async prepareDependencies(): Promise<'none' | 'empty' | 'cached' | 'installed'> {
    const progress = (text: string) => this.options.onProgress?.({ value: 0.05, text });
    return linkDependencies(
      this.root,
      this.cacheDir,
      (command, args, cwd) =>
        this.run(command, args, { cwd, timeoutMs: 600_000, onOutput: this.installOutput, env: { ...installEnvExtras(), ...installGitFence(this.cacheDir) }, signal: this.signal, writableCache: true } as RunOptions),
      progress,
    );
  }

  /** Where dependency-install output and progress go (set per check pass, to stream to the page). */
  installOutput: RunOptions['onOutput'];

  setListeners(l: { onProgress?: (p: EngineProgress) => void; onOutput?: RunOptions['onOutput']; signal?: AbortSignal }): void {
    this.options.onProgress = l.onProgress;
    this.installOutput = l.onOutput;
    this.signal = l.signal;
  }

  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    if (isDependencyPath(path.split('/').filter((p) => p !== '' && p !== '.').join('/'))) throw new Error(`"${path}" is inside node_modules, a link into the shared dependency cache: it is never written.`);
    const full = this.abs(path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }

  async remove(path: string): Promise<void> {
    await rm(this.abs(path), { recursive: true, force: true });
  }

  private spawn(command: string, args: string[], options: RunOptions) {
    this.assertLive();
    // `cwd` may be absolute only inside the engine's own folders (dependency installs).
    const own = (d: string) => d.startsWith(this.base + sep) || d.startsWith(resolve(this.cacheDir) + sep);
    const cwd = options.cwd && isAbsolute(options.cwd) && own(options.cwd) ? options.cwd : this.abs(options.cwd ?? '.');
    const direct = directScript(command, args, cwd, this.env.PATH!);
    if (direct) options.onOutput?.(`> ${direct.args[1]}\n`, 'stdout');
    const env = direct ? { ...this.env, ...direct.env, ...options.env } : { ...this.env, ...options.env };
    env[SESSION_MARKER] = this.marker; // not even a check's own env may drop it
    let cmd = direct ? direct.command : command;
    let argv = direct ? direct.args : args;
    if (this.sandbox === 'bwrap') {
      const writableCache = (options as { writableCache?: boolean }).writableCache === true;
      ({ command: cmd, args: argv } = bwrapCommand(cmd, argv, { base: this.base, cacheDir: this.cacheDir, cacheWritable: writableCache, cwd, scratch: this.scratchFolders() }));
    }
    const child = spawnGroup(cmd, argv, { cwd, env });
    const pgid = child.pid;
    if (pgid) this.groups.add(pgid);
    const max = this.options.maxOutputBytes ?? MB;
    let output = '';
    let size = 0;
    let truncated = false;
    const take = (stream: 'stdout' | 'stderr') => (buf: Buffer) => {
      if (truncated) return;
      if (size + buf.length > max) {
        truncated = true;
        const note = `\n[output truncated: it was longer than ${Math.round(max / 1024)} KB; the rest was dropped]\n`;
        const part = buf.subarray(0, Math.max(0, max - size)).toString('utf8') + note;
        output += part;
        options.onOutput?.(part, stream);
        return;
      }
      size += buf.length;
      const text = buf.toString('utf8');
      output += text;
      options.onOutput?.(text, stream);
    };
    child.stdout!.on('data', take('stdout'));
    child.stderr!.on('data', take('stderr'));
    const done = new Promise<{ exitCode: number | null; error?: Error }>((res) => {
      child.once('error', (error) => res({ exitCode: null, error }));
      child.once('close', (code) => res({ exitCode: code }));
    });
    const stop = async () => {
      if (pgid) {
        await killGroup(pgid);
        this.groups.delete(pgid);
      }
    };
    return { child, done, stop, output: () => output, truncated: () => truncated, pgid };
  }

  async run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    const install = installCommand(command, args, options);
    if (install === 'cached') {
      // The workspace's node_modules is a link into the shared cache: a real `npm ci` here would
      // delete the cache's files. The engine installed from the same lockfile already.
      const state = await this.prepareDependencies();
      if (state !== 'none') {
        const text = `[leakproof] dependencies from package-lock.json are ${state === 'empty' ? 'none (the lockfile lists none)' : state === 'cached' ? 'already installed (cache)' : 'installed'}; skipped \`${[command, ...args].join(' ')}\`\n`;
        options.onOutput?.(text, 'stdout');
        return { exitCode: 0, output: text, timedOut: false, truncated: false };
      }
    } else if (install === 'adds-packages') {
      await this.remove('node_modules'); // never install into the shared cache through the link
    }
    const p = this.spawn(command, args, options);
    const limit = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 120_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void p.stop();
    }, limit);
    const onAbort = () => void p.stop();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const r = await p.done;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    // Whatever the command left running in its group (a watcher, a daemon) ends with it.
    await p.stop();
    let output = p.output();
    if (r.error) output += `\n[could not start \`${command}\`: ${r.error.message}]\n`;
    if (timedOut) output += `\n[stopped: \`${command}\` ran longer than its limit of ${seconds(limit)}]\n`;
    return { exitCode: timedOut ? null : r.exitCode, output, timedOut, truncated: p.truncated() };
  }

  async startServer(command: string, args: string[], options: StartServerOptions = {}): Promise<ServerHandle> {
    const port = options.port || (await freePort());
    const p = this.spawn(command, args, { ...options, env: { ...options.env, PORT: String(port) } });
    let exited: { exitCode: number | null; error?: Error } | null = null;
    void p.done.then((r) => (exited = r));
    const handle: ServerHandle = { url: `http://127.0.0.1:${port}`, port, output: p.output, stop: p.stop };
    const onAbort = () => void p.stop();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const limit = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 120_000;
    const lifetime = setTimeout(() => void p.stop(), limit);
    p.done.then(() => clearTimeout(lifetime), () => {});
    const ready = options.readyTimeoutMs ?? 30_000;
    const deadline = Date.now() + ready;
    while (Date.now() < deadline) {
      if (exited) {
        await p.stop();
        const ex = exited as { exitCode: number | null; error?: Error };
        const why = ex.error ? `it could not start (${ex.error.message})` : `it stopped with exit code ${ex.exitCode}`;
        throw new Error(`${why} before it listened on port ${port} (the port comes from the PORT variable). What it printed:\n${tailText(p.output())}`);
      }
      for (const host of ['127.0.0.1', '::1']) {
        if (await canConnect(host, port)) {
          if (host === '::1') handle.url = `http://[::1]:${port}`;
          return handle;
        }
      }
      if (options.signal?.aborted) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await p.stop();
    throw new Error(`it did not accept connections on port ${port} within ${seconds(ready)}. Does it listen on process.env.PORT? What it printed:\n${tailText(p.output())}`);
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const timeout = AbortSignal.timeout(30_000);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return globalThis.fetch(url, { ...init, redirect: 'manual', signal });
  }

  /**
   * In the sandbox the dependency cache is read-only; the folders tools write their temporary
   * files to inside node_modules get a private writable folder of this session instead.
   */
  private scratchFolders(): Array<[string, string]> {
    let target: string;
    try {
      target = realpathSync(join(this.root, 'node_modules'));
    } catch {
      return [];
    }
    if (!target.startsWith(resolve(this.cacheDir) + sep)) return [];
    return SCRATCH.map((name) => {
      const inCache = join(target, name);
      const mine = join(this.base, 'scratch', name);
      mkdirSync(inCache, { recursive: true });
      mkdirSync(mine, { recursive: true });
      return [mine, inCache];
    });
  }

  /** Process groups this engine started that may still be alive (for tests). */
  processGroups(): number[] {
    return [...this.groups];
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.groups].map((g) => killGroup(g)));
    this.groups.clear();
    // Whatever left its group (setsid, a detached spawn) still carries the session's marker.
    await killMarked(this.marker);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.stopAll();
    this.disposed = true;
    await rm(this.base, { recursive: true, force: true });
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('This exercise session has ended; start a new one.');
  }
}

/** `npm ci` / `npm install` in the project root: served from the cache; with package names: a real install. */
function installCommand(command: string, args: string[], options: RunOptions): 'cached' | 'adds-packages' | null {
  if (command !== 'npm' || (options.cwd && options.cwd !== '.')) return null;
  const [sub, ...rest] = args;
  if (sub !== 'ci' && sub !== 'install' && sub !== 'i') return null;
  return rest.some((a) => !a.startsWith('-')) ? 'adds-packages' : 'cached';
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function tailText(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n') || '(nothing)';
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createConnection({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      res(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(500, () => done(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}
