// An in-memory Engine for check unit tests: files in a Map, commands answered by a handler, servers
// as real in-process HTTP servers (so http-probe sends real requests).
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileMap, ReadonlyFs } from '../../../src/lib/fs/types.ts';
import type { Engine, EngineCapabilities, RunOptions, RunResult, ServerHandle, StartServerOptions } from '../../../src/lib/exercise/engine.ts';

export type CommandHandler = (command: string, args: string[], engine: FakeEngine, options: RunOptions) => Promise<Partial<RunResult>> | Partial<RunResult>;
export type ServerHandler = (req: IncomingMessage, res: ServerResponse) => void;

export class FakeEngine implements Engine {
  readonly kind = 'in-browser' as const;
  capabilities: EngineCapabilities = { processes: true, servers: true };
  files = new Map<string, Uint8Array>();
  commands: string[] = [];
  onRun: CommandHandler = () => ({ exitCode: 0, output: '' });
  onServer: ServerHandler | ((command: string) => never) = (_req, res) => res.end('ok');
  stopped = 0;
  /** What a started server "prints" (a function, so a handler can add to it while it runs). */
  serverOutput = '';
  /** Environment the last server was started with. */
  serverEnv: Record<string, string> = {};

  constructor(files: FileMap = {}, caps?: EngineCapabilities) {
    for (const [p, t] of Object.entries(files)) this.files.set(p, new TextEncoder().encode(t));
    if (caps) this.capabilities = caps;
  }

  readonly fs: ReadonlyFs = {
    readdir: async (path) => {
      const dir = path === '.' ? '' : path.replace(/\/$/, '');
      const names = new Map<string, 'file' | 'dir'>();
      for (const p of this.files.keys()) {
        if (dir && !p.startsWith(`${dir}/`)) continue;
        const rest = dir ? p.slice(dir.length + 1) : p;
        const [head, ...tail] = rest.split('/');
        names.set(head!, tail.length ? 'dir' : 'file');
      }
      if (dir && names.size === 0) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      return [...names].map(([name, kind]) => ({ name, kind }));
    },
    readFile: async (path) => {
      const f = this.files.get(path);
      if (!f) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      return f;
    },
    stat: async (path) => {
      const f = this.files.get(path);
      if (f) return { kind: 'file', size: f.length };
      const dir = path.replace(/\/$/, '');
      if (!dir || dir === '.' || [...this.files.keys()].some((p) => p.startsWith(`${dir}/`))) return { kind: 'dir', size: 0 };
      throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
    },
  };

  async mount(files: FileMap) {
    this.files.clear();
    for (const [p, t] of Object.entries(files)) this.files.set(p, new TextEncoder().encode(t));
  }
  async writeFile(path: string, content: string | Uint8Array) {
    this.files.set(path, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }
  async remove(path: string) {
    this.files.delete(path);
  }
  async run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    this.commands.push([command, ...args].join(' '));
    const r = await this.onRun(command, args, this, options);
    return { exitCode: 0, output: '', timedOut: false, truncated: false, ...r };
  }
  async startServer(command: string, args: string[], o: StartServerOptions = {}): Promise<ServerHandle> {
    this.commands.push([command, ...args].join(' '));
    this.serverEnv = { ...o.env };
    const handler = this.onServer as ServerHandler;
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      output: () => this.serverOutput,
      stop: () => new Promise<void>((r) => server.close(() => r())),
    };
  }
  fetch(url: string, init?: RequestInit) {
    return globalThis.fetch(url, init);
  }
  async stopAll() {
    this.stopped++;
  }
  async dispose() {}
}
