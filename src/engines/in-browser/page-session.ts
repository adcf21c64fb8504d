// An ExerciseSession whose checks run in the page with runChecks() over an engine that lives in the
// page (WebContainer, in-browser). The local engine's session is an HTTP client instead.
import type { ExerciseDefinition } from '../../lib/exercise/define.ts';
import type { Engine, EngineProgress } from '../../lib/exercise/engine.ts';
import type { CheckReport } from '../../lib/exercise/results.ts';
import { runChecks } from '../../lib/exercise/run-checks.ts';
import type { ExerciseSession, SessionEvents } from '../../lib/exercise/session.ts';
import type { FileMap } from '../../lib/fs/types.ts';
import type { Decompressors } from '../../lib/leak/types.ts';

type Listener<E extends keyof SessionEvents> = (data: SessionEvents[E]) => void;

export class Emitter {
  private readonly listeners = new Map<keyof SessionEvents, Set<Listener<never>>>();

  on<E extends keyof SessionEvents>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  emit<E extends keyof SessionEvents>(event: E, data: SessionEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as Listener<E>)(data);
  }
}

export interface PageSessionOptions {
  engine: Engine;
  def: ExerciseDefinition;
  reason?: string;
  decompress?: Decompressors;
  /** Runs before each check pass, after mounting (e.g. WebContainer's install from the lockfile). */
  prepare?: (files: FileMap, emitter: Emitter, signal: AbortSignal | undefined, key: string) => Promise<void>;
  /** Base URL of a mock platform the engine runs, when the chapter uses one. */
  platformBaseUrl?: () => string | undefined;
  /** Extra cleanup on dispose (the engine itself is disposed by the caller's choice). */
  onDispose?: () => Promise<void>;
  emitter?: Emitter;
}

export function createPageSession(o: PageSessionOptions): ExerciseSession {
  const emitter = o.emitter ?? new Emitter();
  let running: Promise<CheckReport> | undefined;
  return {
    engine: o.engine.kind,
    reason: o.reason,
    on: (event, listener) => emitter.on(event, listener),
    async check(files, key, signal) {
      // One pass at a time: a second click waits for the first rather than racing it on one fs.
      while (running) await running.catch(() => {});
      const pass = (async () => {
        await o.engine.mount(files);
        await o.prepare?.(files, emitter, signal, key);
        return runChecks(o.def, {
          engine: o.engine,
          key,
          files,
          platformBaseUrl: o.platformBaseUrl?.(),
          signal,
          decompress: o.decompress,
          mount: false,
          onProgress: (p: EngineProgress) => emitter.emit('progress', p),
          onOutput: (text, stream) => emitter.emit('output', { text, stream }),
        });
      })();
      running = pass;
      try {
        return await pass;
      } finally {
        running = undefined;
        await o.engine.stopAll().catch(() => {});
      }
    },
    stop: () => o.engine.stopAll(),
    async dispose() {
      await o.engine.stopAll().catch(() => {});
      await o.onDispose?.();
    },
  };
}
