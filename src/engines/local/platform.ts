// The mock OpenAI platform (src/platform, issue 5) for one check run: seeded with the planted key
// as an active project key (or the chapter's own seed, with {{PLANTED_KEY}} filled in).
import { PLANTED_KEY_PLACEHOLDER } from '../../lib/exercise/define.ts';
import type { ExerciseDefinition } from '../../lib/exercise/define.ts';

export interface RunningPlatform {
  url: string;
  baseURL: string;
  controlToken?: string;
  close(): Promise<void>;
}

export function platformSeed(def: ExerciseDefinition, key: string): unknown {
  const custom = def.platformSeed;
  if (custom) return JSON.parse(JSON.stringify(custom).split(PLANTED_KEY_PLACEHOLDER).join(key));
  return {
    projects: [{ id: 'proj_course', name: 'Course' }],
    keys: [{ value: key, projectId: 'proj_course', kind: 'project', status: 'active', name: 'planted key' }],
  };
}

export async function startExercisePlatform(def: ExerciseDefinition, key: string): Promise<RunningPlatform> {
  let mod: { startPlatform(o: { seed: unknown; port: number }): Promise<RunningPlatform> };
  try {
    mod = await import('../../platform/index.ts');
  } catch (e) {
    throw new Error(`This chapter needs the mock OpenAI platform, which could not be loaded (src/platform/index.ts): ${(e as Error).message}`);
  }
  return mod.startPlatform({ seed: platformSeed(def, key), port: 0 });
}
