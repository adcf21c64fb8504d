// The part of @webcontainer/api the engine uses, as an interface: the real WebContainer fits it,
// and unit tests pass an in-memory fake (as TutorialKit's test-utils do). Only `import type` of the
// package here, so nothing of it loads until WebContainer is chosen.
export interface WcDirent {
  name: string;
  isFile(): boolean;
  isDirectory(): boolean;
}

export interface WcProcess {
  exit: Promise<number>;
  output: ReadableStream<string>;
  kill(): void;
}

export interface WcFs {
  readdir(path: string, options: { withFileTypes: true }): Promise<WcDirent[]>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<string | void>;
  rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>;
}

export type WcTree = { [name: string]: { file: { contents: string | Uint8Array } } | { directory: WcTree } };

export interface WebContainerLike {
  fs: WcFs;
  mount(tree: WcTree): Promise<void>;
  spawn(command: string, args: string[], options?: { cwd?: string; env?: Record<string, string | number | boolean> }): Promise<WcProcess>;
  on(event: 'server-ready', listener: (port: number, url: string) => void): () => void;
  on(event: 'port', listener: (port: number, type: 'open' | 'close', url: string) => void): () => void;
  on(event: 'error', listener: (error: { message: string }) => void): () => void;
  teardown?(): void;
}
