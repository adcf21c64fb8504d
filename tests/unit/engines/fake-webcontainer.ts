// An in-memory stand-in for @webcontainer/api (as TutorialKit's test-utils keep one): enough fs,
// spawn and server-ready to test the engine's logic. It proves nothing about the real runtime.
import { MemoryFs } from '../../../src/engines/in-browser/memory-fs.ts';
import type { WcDirent, WcProcess, WcTree, WebContainerLike } from '../../../src/engines/webcontainer/types.ts';

export interface SpawnCall {
  command: string;
  args: string[];
  env: Record<string, string | number | boolean>;
}

export type Script = (call: SpawnCall, io: { write(s: string): void; exit(code: number): void; serve(port: number): void; killed: Promise<void> }) => void;

export class FakeWebContainer implements WebContainerLike {
  readonly mem = new MemoryFs();
  readonly calls: SpawnCall[] = [];
  readonly killed: SpawnCall[] = [];
  torn = false;
  private readyListeners = new Set<(port: number, url: string) => void>();
  scripts: Record<string, Script> = {};

  readonly fs = {
    readdir: async (path: string, _o: { withFileTypes: true }): Promise<WcDirent[]> =>
      (await this.mem.readdir(path === '.' ? '' : path)).map((e) => ({ name: e.name, isFile: () => e.kind === 'file', isDirectory: () => e.kind === 'dir' })),
    readFile: (path: string) => this.mem.readFile(path),
    writeFile: async (path: string, data: string | Uint8Array) => this.mem.write(path, data),
    mkdir: async () => {},
    rm: async (path: string) => this.mem.remove(path),
  };

  async mount(tree: WcTree, prefix = ''): Promise<void> {
    for (const [name, node] of Object.entries(tree)) {
      if ('file' in node) this.mem.write(prefix + name, node.file.contents);
      else await this.mount(node.directory, `${prefix}${name}/`);
    }
  }

  async spawn(command: string, args: string[], options: { env?: Record<string, string | number | boolean> } = {}): Promise<WcProcess> {
    const call = { command, args, env: options.env ?? {} };
    this.calls.push(call);
    let controller!: ReadableStreamDefaultController<string>;
    const output = new ReadableStream<string>({ start: (c) => void (controller = c) });
    let resolveExit!: (code: number) => void;
    const exit = new Promise<number>((r) => (resolveExit = r));
    let onKill!: () => void;
    const killed = new Promise<void>((r) => (onKill = r));
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      controller.close();
      resolveExit(code);
    };
    const script = this.scripts[`${command} ${args.join(' ')}`] ?? this.scripts[command];
    queueMicrotask(() => {
      if (!script) {
        controller.enqueue(`sh: ${command}: command not found\n`);
        finish(127);
        return;
      }
      script(call, {
        write: (s) => !done && controller.enqueue(s),
        exit: finish,
        serve: (port) => setTimeout(() => this.readyListeners.forEach((l) => l(port, `https://fake-${port}.webcontainer-api.io/`)), 5),
        killed,
      });
    });
    return {
      exit,
      output,
      kill: () => {
        this.killed.push(call);
        onKill();
        finish(143);
      },
    };
  }

  on(event: string, listener: (...a: never[]) => void): () => void {
    if (event !== 'server-ready') return () => {};
    const l = listener as unknown as (port: number, url: string) => void;
    this.readyListeners.add(l);
    return () => this.readyListeners.delete(l);
  }

  teardown(): void {
    this.torn = true;
  }
}
