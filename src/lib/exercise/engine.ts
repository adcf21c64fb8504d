// The engine interface: where an exercise runs. src/lib declares it, src/engines implements it
// (local Node processes, WebContainer, in-browser). src/lib imports nothing from src/engines.
import type { FileMap, ReadonlyFs } from '../fs/types.ts';

export type EngineKind = 'local' | 'webcontainer' | 'in-browser';

/** Progress is a value plus a label: { value: 0.5, text: 'installing dependencies 2/4' }. */
export interface EngineProgress {
  value: number;
  text: string;
}

export interface RunOptions {
  cwd?: string;
  /** Extra variables; the engine's base environment is already stripped of the user's own. */
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

export interface RunResult {
  exitCode: number | null;
  /** stdout and stderr interleaved, bounded in size. */
  output: string;
  timedOut: boolean;
  truncated: boolean;
}

export interface StartServerOptions extends RunOptions {
  /** Port the server is told to use through PORT; 0 lets the engine choose a free one. */
  port?: number;
  /** How long to wait until the port accepts connections. */
  readyTimeoutMs?: number;
}

export interface ServerHandle {
  /** Base URL the checks can fetch, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

export interface EngineCapabilities {
  /** Can run commands (builds, scripts). */
  processes: boolean;
  /** Can start servers the checks can call over HTTP. */
  servers: boolean;
  /** Cannot run arbitrary commands but can emulate the build command (in-browser esbuild). */
  build?: boolean;
  /**
   * Can build the project's client bundle (`npm run build` / `vite build`) even without processes:
   * the in-browser engine bundles with esbuild-wasm in a worker and writes the output into its
   * in-memory fs, so a `no-key-in` bundle check still runs on a real bundle there. Absent = same as
   * `processes`.
   */
  builds?: boolean;
}

/**
 * Thrown by an engine for a command or server it cannot run (the in-browser engine has no
 * processes). Checks map it to `skipped` with "needs a runtime" — never to `pass`.
 */
export class NeedsRuntimeError extends Error {
  readonly code = 'needs-runtime';
  constructor(message: string) {
    super(message);
    this.name = 'NeedsRuntimeError';
  }
}

/** True for a NeedsRuntimeError, also across module copies (worker/page bundles). */
export function isNeedsRuntimeError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'needs-runtime';
}

export interface Engine {
  readonly kind: EngineKind;
  readonly capabilities: EngineCapabilities;
  /** Replace the workspace with these files (the engine may keep its installed dependencies). */
  mount(files: FileMap): Promise<void>;
  /** The workspace as a read-only file system (for the leak detector). */
  readonly fs: ReadonlyFs;
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  remove(path: string): Promise<void>;
  run(command: string, args: string[], options?: RunOptions): Promise<RunResult>;
  startServer(command: string, args: string[], options?: StartServerOptions): Promise<ServerHandle>;
  /** HTTP request to a server this engine started (the page may not reach it directly). */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** End every process this engine started. */
  stopAll(): Promise<void>;
  dispose(): Promise<void>;
}
