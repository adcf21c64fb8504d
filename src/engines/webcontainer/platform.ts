// The mock OpenAI platform inside WebContainer, for chapters with `usesPlatform`: the page fetches
// the packaged platform (platform-bundle.mjs writes it to /_leakproof/platform.mjs at build time),
// the engine writes it under node_modules/.leakproof/ (kept out of the learner's project and its
// leak scans) and starts it with `node`, seeded with the planted key.
import { PLANTED_KEY_PLACEHOLDER, type ExerciseDefinition } from '../../lib/exercise/define.ts';

export const PLATFORM_URL_PATH = '_leakproof/platform.mjs';

/**
 * The seed: the chapter's own (`platformSeed`, placeholder filled) or the planted key as an
 * active project key. Same rule as src/engines/local/platform.ts `platformSeed` (kept apart
 * because that module also loads the Node-only platform); keep the two in step.
 */
export function platformSeedFor(def: ExerciseDefinition, key: string): unknown {
  const custom = (def as ExerciseDefinition & { platformSeed?: unknown }).platformSeed;
  if (custom) return JSON.parse(JSON.stringify(custom).split(PLANTED_KEY_PLACEHOLDER).join(key));
  return {
    projects: [{ id: 'proj_course', name: 'Course' }],
    keys: [{ value: key, projectId: 'proj_course', kind: 'project', status: 'active', name: 'planted key' }],
  };
}

/** The packaged platform from this site (same origin, so COEP allows it). */
export async function fetchPlatformCode(base = '/'): Promise<Uint8Array> {
  const url = `${base.replace(/\/?$/, '/')}${PLATFORM_URL_PATH}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`The mock OpenAI platform is not part of this site (${url} answered ${res.status}); the build needs the leakproofPlatform() integration.`);
  return new Uint8Array(await res.arrayBuffer());
}
