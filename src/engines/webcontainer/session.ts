// createSession for WebContainer: boot (or reuse) the tab's container within the time limit, then
// run the chapter's checks in the page over it. A boot that fails throws BootError, whose message
// is the learner-facing reason; chooseSession then falls back to the in-browser engine.
import type { EngineProgress } from '../../lib/exercise/engine.ts';
import type { ExerciseSession } from '../../lib/exercise/session.ts';
import { browserDecompressors } from '../in-browser/decompress.ts';
import { createPageSession, Emitter } from '../in-browser/page-session.ts';
import { getWebContainer, onBootStatus, type BootFn } from './boot.ts';
import { WebContainerEngine } from './engine.ts';
import { fetchPlatformCode, platformSeedFor } from './platform.ts';
import type { WebContainerLike } from './types.ts';
import type { EngineSessionOptions } from '../choose.ts';

// The options every engine gets from choose.ts (its timeoutMs is the boot time limit, default 15 s),
// plus test seams.
export interface WebContainerSessionOptions extends EngineSessionOptions {
  /** Tests pass a fake boot. */
  boot?: BootFn;
  /** The packaged mock platform (default: fetched from this site). */
  platformCode?: () => Promise<Uint8Array>;
}

// One engine per container, so the installed-lockfile hash survives chapter changes.
const engines = new WeakMap<WebContainerLike, WebContainerEngine>();


export async function createSession(o: WebContainerSessionOptions): Promise<ExerciseSession> {
  const load = o.loadDefinition ?? (await import('../definitions.ts')).loadDefinition;
  const def = await load(o.chapter);
  const emitter = new Emitter();
  const forward = (p: EngineProgress) => {
    o.onProgress?.(p);
    emitter.emit('progress', p);
  };
  const off = onBootStatus((s) => forward(s.progress));
  let wc: WebContainerLike;
  try {
    wc = await getWebContainer({ timeoutMs: o.timeoutMs, facts: o.facts, boot: o.boot });
  } finally {
    off();
  }
  let engine = engines.get(wc);
  if (!engine) engines.set(wc, (engine = new WebContainerEngine(wc)));
  engine.options = { onProgress: forward, onOutput: (text, stream) => emitter.emit('output', { text, stream }) };
  const reasons = [o.reason, 'Running in WebContainer: a Node.js runtime inside this browser tab.'];
  const platformCode = o.platformCode ?? (() => fetchPlatformCode((import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/'));
  const e = engine;
  return createPageSession({
    engine: e,
    def,
    emitter,
    reason: reasons.filter(Boolean).join(' '),
    decompress: browserDecompressors,
    // Install from the lockfile before the checks unless the chapter's own setup does it
    // (then the engine's `npm ci` shortcut still skips a repeat install).
    prepare: async (_files, em, signal, key) => {
      if (!def.setup?.length) {
        const r = await e.install({ signal, onOutput: (text, stream) => em.emit('output', { text, stream }) });
        if (r.exitCode !== 0) throw new Error(`Installing the project's dependencies (npm ci) failed. What it printed last:\n${r.output.slice(-2000)}`);
      }
      if (def.usesPlatform) {
        em.emit('progress', { value: 0.08, text: 'starting the mock OpenAI platform' });
        await e.startPlatform(await platformCode(), platformSeedFor(def, key));
      }
    },
    platformBaseUrl: () => e.platformBaseUrl,
  });
}
