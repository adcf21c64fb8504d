// The chapters' check definitions for sessions that run checks in the page (WebContainer,
// in-browser). Each chapter's exercise/checks.ts becomes its own lazily loaded chunk; the local
// engine does not need this (its server loads checks.ts itself).
import type { ExerciseDefinition } from '../lib/exercise/define.ts';

type Loader = () => Promise<{ default: ExerciseDefinition }>;

// Set by astro.config.mjs: true only when the build is of a test course (tests/fixtures/<course>).
declare const __LEAKPROOF_FIXTURE_COURSE__: boolean | undefined;

// Course chapters first; fixture courses (tests/fixtures/<course>/NN-slug) only in builds of a test
// course, for a chapter the real course does not have. The condition is a build-time constant, so a
// build of the real course drops the fixture glob and ships none of its chunks.
const courseModules = import.meta.glob<{ default: ExerciseDefinition }>('/lessons/*/exercise/checks.ts');
const modules =
  typeof __LEAKPROOF_FIXTURE_COURSE__ !== 'undefined' && __LEAKPROOF_FIXTURE_COURSE__
    ? { ...courseModules, ...import.meta.glob<{ default: ExerciseDefinition }>('/tests/fixtures/*/*/exercise/checks.ts') }
    : courseModules;

export function definitionLoaders(): Record<string, Loader> {
  const byChapter: Record<string, Loader> = {};
  const entries = Object.entries(modules).sort(([a], [b]) => Number(a.startsWith('/tests/')) - Number(b.startsWith('/tests/')));
  for (const [path, load] of entries) {
    const chapter = path.split('/').at(-3)!;
    byChapter[chapter] ??= load;
  }
  return byChapter;
}

export async function loadDefinition(chapter: string): Promise<ExerciseDefinition> {
  const load = definitionLoaders()[chapter];
  if (!load) throw new Error(`No checks found for chapter "${chapter}": is there a lessons/${chapter}/exercise/checks.ts?`);
  const mod = await load();
  if (!mod.default) throw new Error(`lessons/${chapter}/exercise/checks.ts has no default export: end it with \`export default defineExercise({...})\`.`);
  return mod.default;
}
