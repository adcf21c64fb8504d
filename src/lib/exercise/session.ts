// What the page talks to: one exercise session on whichever engine was chosen.
// Local engine: an HTTP client of the course's own server (checks run there, in Node).
// WebContainer / in-browser: checks run in the page with runChecks() over that engine.
import type { FileMap } from '../fs/types.ts';
import type { EngineKind, EngineProgress } from './engine.ts';
import type { CheckReport } from './results.ts';

export interface SessionEvents {
  progress: EngineProgress;
  /** Output of commands the engine runs (build logs, server logs), for the output panel. */
  output: { text: string; stream: 'stdout' | 'stderr' | 'info' };
}

export interface ExerciseSession {
  readonly engine: EngineKind;
  /** Why this engine was chosen, or why a preferred one was not ("WebContainer did not boot in 15 s: …"). */
  readonly reason?: string;
  on<E extends keyof SessionEvents>(event: E, listener: (data: SessionEvents[E]) => void): () => void;
  /** Run the chapter's checks on these files with this planted key. */
  check(files: FileMap, key: string, signal?: AbortSignal): Promise<CheckReport>;
  /** Stop every process of this session (reset, leaving the chapter). */
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

/** How a session is created; each engine module (src/engines/<kind>/session.ts) exports one. */
export type CreateSession = (options: { chapter: string; signal?: AbortSignal }) => Promise<ExerciseSession>;
