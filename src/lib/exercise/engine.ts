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
