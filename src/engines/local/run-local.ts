// One check pass on the local engine: the mock platform when the chapter uses it, mount, checks.
// Shared by the course server's endpoint and `leakproof check`, so both decide the same way.
import type { ExerciseDefinition } from '../../lib/exercise/define.ts';
import type { EngineProgress } from '../../lib/exercise/engine.ts';
import type { CheckReport } from '../../lib/exercise/results.ts';
import type { FileMap } from '../../lib/fs/types.ts';
import { runChecks } from '../../lib/exercise/run-checks.ts';
import { nodeDecompressors } from './decompress.ts';
import type { NodeEngine } from './node-engine.ts';
import { startExercisePlatform, type RunningPlatform } from './platform.ts';
import { startExerciseSecretStore } from './secret-store.ts';

export interface LocalCheckOptions {
  def: ExerciseDefinition;
  engine: NodeEngine;
  key: string;
  /** The learner's files (page) … */
  files?: FileMap;
  /** … or a folder on disk (CLI). */
  dir?: string;
  signal?: AbortSignal;
  onProgress?: (p: EngineProgress) => void;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** A platform that outlives this check (the course server's session keeps one); else one is
   * started for this check and closed after it (CLI). */
  platform?: RunningPlatform;
}

export async function runLocalChecks(o: LocalCheckOptions): Promise<CheckReport> {
  const own = o.def.usesPlatform && !o.platform;
  const platform = o.platform ?? (own ? await startExercisePlatform(o.def, o.key) : null);
  const store = o.def.secretStore ? await startExerciseSecretStore(o.def.secretStore.secretName, o.key) : null;
  try {
    o.engine.setPlatformBaseUrl(platform?.baseURL);
    o.engine.setListeners({ onProgress: o.onProgress, onOutput: o.onOutput, signal: o.signal });
    o.onProgress?.({ value: 0, text: 'copying your files' });
    if (o.dir) await o.engine.mountDir(o.dir);
    else await o.engine.mount(o.files ?? {});
    return await runChecks(o.def, {
      engine: o.engine,
      key: o.key,
      files: o.files ?? {},
      platformBaseUrl: platform?.baseURL,
      platform: platform?.controlToken ? { url: platform.url, controlToken: platform.controlToken } : undefined,
      secretStore: store?.context,
      signal: o.signal,
      onProgress: o.onProgress,
      onOutput: o.onOutput,
      decompress: nodeDecompressors,
      mount: false,
    });
  } finally {
    await o.engine.stopAll();
    o.engine.setListeners({});
    if (own) await platform?.close();
    await store?.close();
  }
}
