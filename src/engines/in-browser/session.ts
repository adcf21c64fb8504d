// createSession for the in-browser engine: checks run in the page over the editor's files; the
// bundle check gets a real bundle from the esbuild-wasm worker; everything needing a runtime is
// skipped with a pointer to the local start command.
import type { ExerciseDefinition } from '../../lib/exercise/define.ts';
import type { ExerciseSession } from '../../lib/exercise/session.ts';
import { browserDecompressors } from './decompress.ts';
import { InBrowserEngine, RUN_LOCALLY } from './engine.ts';
import { createPageSession, Emitter } from './page-session.ts';
import { createWorkerBundler, type Bundler } from './worker-client.ts';

export interface InBrowserSessionOptions {
  chapter: string;
  signal?: AbortSignal;
  /** Why this engine (shown to the learner), e.g. the WebContainer boot failure. */
  reason?: string;
  loadDefinition?: (chapter: string) => Promise<ExerciseDefinition>;
  /** Tests pass a bundler running esbuild in Node; the page uses the worker. */
  bundler?: Bundler;
}

export const IN_BROWSER_LIMITS = `This browser checks your files and builds the client bundle, but it cannot run commands or servers: checks that need them show as "skipped: needs a runtime" and the exercise cannot be marked passed here. ${RUN_LOCALLY}`;

export async function createSession(o: InBrowserSessionOptions): Promise<ExerciseSession> {
  const load = o.loadDefinition ?? (await import('../definitions.ts')).loadDefinition;
  const def = await load(o.chapter);
  const bundler = o.bundler ?? createWorkerBundler({ wasmURL: (await import('./wasm-url.ts')).default });
  const emitter = new Emitter();
  const engine = new InBrowserEngine({ bundler });
  // Start esbuild now, while the learner is still editing (see Bundler.warm).
  void bundler.warm?.();
  return createPageSession({
    engine,
    def,
    emitter,
    reason: o.reason ? `${o.reason} ${IN_BROWSER_LIMITS}` : IN_BROWSER_LIMITS,
    decompress: browserDecompressors,
    onDispose: () => engine.dispose(),
  });
}
