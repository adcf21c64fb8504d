// The WebContainer engine: real Node processes in the browser tab (StackBlitz's WebContainer).
// One container per tab, reused across chapters; dependencies installed from the template's
// lockfile once and kept while the lockfile stays the same (the second chapter with the same
// lockfile starts without a new install).
import type {
  Engine,
  EngineCapabilities,
  EngineProgress,
  RunOptions,
  RunResult,
  ServerHandle,
  StartServerOptions,
} from '../../lib/exercise/engine.ts';
import type { EntryKind, FileMap, ReadonlyFs } from '../../lib/fs/types.ts';
import type { WcProcess, WcTree, WebContainerLike } from './types.ts';

const MAX_OUTPUT = 200_000;
/** Kept across mounts: installed dependencies are the expensive part of a container. */
const KEEP = new Set(['node_modules']);

/** FileMap → WebContainer's FileSystemTree. */
export function toTree(files: FileMap | Record<string, string | Uint8Array>): WcTree {
  const root: WcTree = {};
  for (const [path, contents] of Object.entries(files)) {
    const parts = path.replace(/\\/g, '/').split('/').filter((p) => p && p !== '.');
    if (parts.some((p) => p === '..')) throw new Error(`Path "${path}" leaves the project folder: use a path inside it.`);
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      const node = (dir[part] ??= { directory: {} });
      if (!('directory' in node)) throw new Error(`"${part}" is both a file and a folder in the exercise files (${path}).`);
      dir = node.directory;
    }
    dir[parts.at(-1)!] = { file: { contents } };
  }
  return root;
}

/** Hash of what `npm ci` installs from: same hash, same node_modules. */
export async function lockfileHash(files: FileMap): Promise<string | null> {
  const lock = files['package-lock.json'];
  if (lock === undefined) return null;
  const data = new TextEncoder().encode(`${lock}\0${files['package.json'] ?? ''}`);
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function isInstall(command: string, args: string[]): boolean {
  return command === 'npm' && (args[0] === 'ci' || args[0] === 'install' || args[0] === 'i') && args.filter((a) => !a.startsWith('-')).length === 1;
}

class ContainerFs implements ReadonlyFs {
  private readonly wc: WebContainerLike;
  constructor(wc: WebContainerLike) {
    this.wc = wc;
  }

  private p(path: string): string {
    // "./a" and "/a" → "a"; ".env" stays ".env".
    const clean = path.replace(/^(\.\/|\/)+/, '');
    return clean === '' || clean === '.' ? '.' : clean;
  }

  async readdir(path: string): Promise<Array<{ name: string; kind: EntryKind }>> {
    const entries = await this.wc.fs.readdir(this.p(path), { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, kind: e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'symlink' }));
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.wc.fs.readFile(this.p(path));
  }

  async stat(path: string): Promise<{ kind: EntryKind; size: number }> {
    // WebContainer's fs has no stat(): a folder answers readdir, a file answers readFile.
    const p = this.p(path);
    if (p === '.') return { kind: 'dir', size: 0 };
    try {
      await this.wc.fs.readdir(p, { withFileTypes: true });
      return { kind: 'dir', size: 0 };
    } catch {
      const data = await this.wc.fs.readFile(p);
      return { kind: 'file', size: data.byteLength };
    }
  }
}

export interface WebContainerEngineOptions {
  onProgress?: (p: EngineProgress) => void;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

export class WebContainerEngine implements Engine {
  readonly kind = 'webcontainer' as const;
  readonly capabilities: EngineCapabilities = { processes: true, servers: true, build: true, builds: true };
  readonly fs: ReadonlyFs;
  /** Lockfile hash of the dependencies now in node_modules (kept across chapters). */
  installedHash: string | null = null;
  /** Set when the chapter uses the mock platform; see session.ts for what runs there. */
  platformBaseUrl: string | undefined;
  private readonly procs = new Set<WcProcess>();
  private files: FileMap = {};
  private nextPort = 3100;
  private readonly wc: WebContainerLike;
  /** Listeners of the current session (the engine outlives sessions: one container per tab). */
  options: WebContainerEngineOptions;

  constructor(wc: WebContainerLike, options: WebContainerEngineOptions = {}) {
    this.wc = wc;
    this.options = options;
    this.fs = new ContainerFs(wc);
  }

  async mount(files: FileMap): Promise<void> {
    // Replace the project but keep node_modules: reinstalling is what makes a container slow.
    for (const e of await this.wc.fs.readdir('.', { withFileTypes: true })) {
      if (!KEEP.has(e.name)) await this.wc.fs.rm(e.name, { recursive: true, force: true });
    }
    await this.wc.mount(toTree(files));
    this.files = { ...files };
  }

  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (dir) await this.wc.fs.mkdir(dir, { recursive: true });
    await this.wc.fs.writeFile(path, content);
    if (typeof content === 'string') this.files[path] = content;
  }

  async remove(path: string): Promise<void> {
    await this.wc.fs.rm(path, { recursive: true, force: true });
    delete this.files[path];
  }

  /**
   * `npm ci` from the project's lockfile, skipped when node_modules already came from the same
   * lockfile (the previous chapter's, or the previous check pass).
   */
  async install(options: RunOptions = {}): Promise<RunResult> {
    const hash = await lockfileHash(this.files);
    if (hash === null) {
      return { exitCode: 0, output: 'no package-lock.json: nothing to install\n', timedOut: false, truncated: false };
    }
    if (hash === this.installedHash) {
      const note = 'dependencies already installed from this lockfile: skipping npm ci\n';
      options.onOutput?.(note, 'stdout');
      return { exitCode: 0, output: note, timedOut: false, truncated: false };
    }
    this.options.onProgress?.({ value: 0.3, text: 'installing dependencies' });
    const r = await this.spawnAndWait('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { timeoutMs: 300_000, ...options });
    this.installedHash = r.exitCode === 0 ? hash : null;
    this.options.onProgress?.({ value: 0.5, text: r.exitCode === 0 ? 'dependencies installed' : 'installing dependencies failed' });
    return r;
  }

  async run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    if (isInstall(command, args)) return this.install(options);
    return this.spawnAndWait(command, args, options);
  }

  private env(extra?: Record<string, string>): Record<string, string> {
    // Never the real OpenAI: without a mock platform in the container, point the SDK at a closed
    // local port so a planted key cannot travel anywhere.
    return { OPENAI_BASE_URL: this.platformBaseUrl ?? 'http://127.0.0.1:9/v1', ...extra };
  }

  private async spawnAndWait(command: string, args: string[], options: RunOptions): Promise<RunResult> {
    const proc = await this.wc.spawn(command, args, { cwd: options.cwd, env: this.env(options.env) });
    this.procs.add(proc);
    let output = '';
    let truncated = false;
    const onChunk = (chunk: string) => {
      options.onOutput?.(chunk, 'stdout');
      this.options.onOutput?.(chunk, 'stdout');
      output += chunk;
      if (output.length > MAX_OUTPUT) {
        output = output.slice(-MAX_OUTPUT);
        truncated = true;
      }
    };
    // WebContainer gives one terminal stream (stdout and stderr together).
    const piping = proc.output.pipeTo(new WritableStream({ write: onChunk })).catch(() => {});
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => proc.kill();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = true;
        proc.kill();
      }, options.timeoutMs);
    }
    try {
      const exitCode = await proc.exit;
      await Promise.race([piping, new Promise((r) => setTimeout(r, 50))]);
      return { exitCode: timedOut ? null : exitCode, output, timedOut, truncated };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      this.procs.delete(proc);
    }
  }

  async startServer(command: string, args: string[], options: StartServerOptions = {}): Promise<ServerHandle> {
    const port = options.port || this.nextPort++;
    const proc = await this.wc.spawn(command, args, { cwd: options.cwd, env: this.env({ PORT: String(port), ...options.env }) });
    this.procs.add(proc);
    let output = '';
    proc.output
      .pipeTo(
        new WritableStream({
          write: (chunk: string) => {
            options.onOutput?.(chunk, 'stdout');
            this.options.onOutput?.(chunk, 'stdout');
            output = (output + chunk).slice(-MAX_OUTPUT);
          },
        }),
      )
      .catch(() => {});
    const readyMs = options.readyTimeoutMs ?? 60_000;
    const url = await new Promise<string>((resolve, reject) => {
      const offReady = this.wc.on('server-ready', (p, u) => {
        if (p === port) done(() => resolve(u));
      });
      const timer = setTimeout(() => done(() => reject(new Error(`The server (\`${[command, ...args].join(' ')}\`) did not listen on port ${port} within ${Math.round(readyMs / 1000)} s. Does it read the port from process.env.PORT? What it printed:\n${output.slice(-2000)}`))), readyMs);
      proc.exit.then((code) => done(() => reject(new Error(`The server (\`${[command, ...args].join(' ')}\`) stopped with exit code ${code} before it was ready. What it printed:\n${output.slice(-2000)}`))));
      let settled = false;
      function done(f: () => void) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        offReady();
        f();
      }
    }).catch((e: unknown) => {
      proc.kill();
      this.procs.delete(proc);
      throw e;
    });
    return {
      url: url.replace(/\/$/, ''),
      port,
      output: () => output,
      stop: async () => {
        proc.kill();
        this.procs.delete(proc);
      },
    };
  }

  /**
   * The page can fetch the server-ready URL directly (WebContainer serves it through its own
   * service worker); relative URLs are not meaningful here, so they are refused.
   */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    if (!/^https?:\/\//.test(url)) throw new Error(`fetch needs the full URL of a server this engine started (got "${url}").`);
    return globalThis.fetch(url, init);
  }

  /**
   * Starts the packaged mock platform (see platform.ts) for this check pass and points
   * OPENAI_BASE_URL of every later command at it. stopAll() ends it with the other processes.
   */
  async startPlatform(code: Uint8Array, seed: unknown, timeoutMs = 30_000): Promise<string> {
    const file = 'node_modules/.leakproof/platform.mjs';
    await this.wc.fs.mkdir('node_modules/.leakproof', { recursive: true });
    await this.wc.fs.writeFile(file, code);
    const proc = await this.wc.spawn('node', [file], { env: { LEAKPROOF_PLATFORM_SEED: JSON.stringify(seed), LEAKPROOF_PLATFORM_PORT: '0' } });
    this.procs.add(proc);
    let out = '';
    const baseURL = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The mock OpenAI platform did not start within ${Math.round(timeoutMs / 1000)} s. It printed:\n${out.slice(-2000)}`)), timeoutMs);
      proc.output
        .pipeTo(
          new WritableStream({
            write: (chunk: string) => {
              out += chunk;
              // It prints one JSON line {"url","baseURL","controlToken"} once it listens.
              const m = /\{[^\n]*"baseURL"[^\n]*\}/.exec(out);
              if (m) {
                clearTimeout(timer);
                try {
                  resolve((JSON.parse(m[0]) as { baseURL: string }).baseURL);
                } catch (e) {
                  reject(e as Error);
                }
              }
            },
          }),
        )
        .catch(() => {});
      proc.exit.then((code) => {
        clearTimeout(timer);
        reject(new Error(`The mock OpenAI platform stopped with exit code ${code}. It printed:\n${out.slice(-2000)}`));
      });
    }).catch((e: unknown) => {
      proc.kill();
      this.procs.delete(proc);
      throw e;
    });
    this.platformBaseUrl = baseURL;
    return baseURL;
  }

  async stopAll(): Promise<void> {
    for (const p of this.procs) p.kill();
    this.procs.clear();
    this.platformBaseUrl = undefined;
  }

  /** Stops processes; the container itself stays for the next chapter (one per tab). */
  async dispose(): Promise<void> {
    await this.stopAll();
  }
}
