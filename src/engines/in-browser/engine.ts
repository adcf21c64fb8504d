// The in-browser engine: no processes, no servers. The editor's files live in memory; the one
// command it can stand in for is the project's Vite build, done by esbuild-wasm in a worker, so a
// `no-key-in` bundle check still audits a real bundle. Anything else throws NeedsRuntimeError and
// runChecks shows it as "skipped: needs a runtime" (never as passed).
import type { Engine, EngineCapabilities, RunOptions, RunResult, ServerHandle, StartServerOptions } from '../../lib/exercise/engine.ts';
import { NeedsRuntimeError } from '../../lib/exercise/engine.ts';
import type { FileMap } from '../../lib/fs/types.ts';
import { MemoryFs } from './memory-fs.ts';
import type { Bundler } from './worker-client.ts';

/** Where to run a chapter fully; shown whenever something needs a runtime. */
export const RUN_LOCALLY = 'To run every check, run the course on your own computer: `npm start` in the course folder (see the README).';

const decoder = new TextDecoder();

/**
 * Is this command the project's Vite build? `npm run build` counts when package.json's build
 * script runs `vite build`; `npx vite build` and `vite build` count as they are.
 */
export function buildCommandKind(command: string, args: string[], packageJson: string | undefined): 'vite' | 'other' {
  const cmd = command.replace(/\.(cmd|exe)$/, '');
  const direct = (a: string[]) => a[0] === 'vite' && a[1] === 'build';
  if (cmd === 'vite' && args[0] === 'build') return 'vite';
  if ((cmd === 'npx' || cmd === 'pnpx') && direct(args.filter((a) => a !== '--yes' && a !== '-y'))) return 'vite';
  const runsScript =
    ((cmd === 'npm' || cmd === 'pnpm' || cmd === 'yarn' || cmd === 'bun') && (args[0] === 'run' || args[0] === 'run-script') && args[1] === 'build') ||
    ((cmd === 'pnpm' || cmd === 'yarn' || cmd === 'bun') && args[0] === 'build' && args.length === 1);
  if (!runsScript) return 'other';
  let script = '';
  try {
    script = (JSON.parse(packageJson ?? '{}') as { scripts?: Record<string, string> }).scripts?.build ?? '';
  } catch {
    return 'other';
  }
  return /(^|[\s;&|(])vite\s+build\b/.test(script) || /^\s*vite\s*(--|$)/.test(script) ? 'vite' : 'other';
}

export interface InBrowserEngineOptions {
  bundler: Bundler;
  /** Output of the builds (for the session's output panel). */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

export class InBrowserEngine implements Engine {
  readonly kind = 'in-browser' as const;
  // `build` is H4's name for the capability, `builds` the contract's: both say the same thing.
  readonly capabilities: EngineCapabilities = { processes: false, servers: false, build: true, builds: true };
  readonly fs = new MemoryFs();
  private readonly bundler: Bundler;
  private readonly onOutput?: InBrowserEngineOptions['onOutput'];

  constructor(options: InBrowserEngineOptions) {
    this.bundler = options.bundler;
    this.onOutput = options.onOutput;
  }

  async mount(files: FileMap): Promise<void> {
    this.fs.clear();
    for (const [path, content] of Object.entries(files)) this.fs.write(path, content);
  }

  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    this.fs.write(path, content);
  }

  async remove(path: string): Promise<void> {
    this.fs.remove(path);
  }

  async run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    const pkg = this.fs.has('package.json') ? decoder.decode(await this.fs.readFile('package.json')) : undefined;
    const line = [command, ...args].join(' ');
    if (buildCommandKind(command, args, pkg) !== 'vite') {
      throw new NeedsRuntimeError(
        `"${line}" needs a runtime: this browser cannot run commands (the in-browser engine only stands in for a Vite build). ${RUN_LOCALLY}`,
      );
    }
    if (options.signal?.aborted) return { exitCode: null, output: 'cancelled\n', timedOut: false, truncated: false };
    const emit = (text: string, stream: 'stdout' | 'stderr' = 'stdout') => {
      options.onOutput?.(text, stream);
      this.onOutput?.(text, stream);
    };
    emit(`$ ${line}  (in-browser: esbuild-wasm stands in for vite build)\n`);
    // The build must not see its own previous output, nor dependencies (there are none here).
    const input = this.fs.entries().filter(([p]) => !p.startsWith('node_modules/'));
    const work = this.bundler.bundle(input, (text) => emit(`${text}\n`));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      if (options.timeoutMs !== undefined) timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    const done = await Promise.race([work, timeout]).finally(() => clearTimeout(timer));
    if (done === 'timeout') {
      emit('the build took too long and was stopped\n', 'stderr');
      return { exitCode: null, output: 'the build took too long and was stopped\n', timedOut: true, truncated: false };
    }
    const result = done;
    if (result.ok) {
      this.fs.remove(result.outDir);
      for (const [path, data] of Object.entries(result.files)) this.fs.write(path, data);
    }
    emit(result.log, result.ok ? 'stdout' : 'stderr');
    return { exitCode: result.ok ? 0 : 1, output: result.log, timedOut: false, truncated: false };
  }

  async startServer(command: string, args: string[], _options?: StartServerOptions): Promise<ServerHandle> {
    throw new NeedsRuntimeError(`Starting a server ("${[command, ...args].join(' ')}") needs a runtime: this browser cannot run one. ${RUN_LOCALLY}`);
  }

  async fetch(url: string): Promise<Response> {
    throw new NeedsRuntimeError(`Calling ${url} needs a running server, which the in-browser engine cannot start. ${RUN_LOCALLY}`);
  }

  async stopAll(): Promise<void> {
    // Nothing runs: builds are one-shot in the worker.
  }

  async dispose(): Promise<void> {
    this.bundler.dispose();
    this.fs.clear();
  }
}
