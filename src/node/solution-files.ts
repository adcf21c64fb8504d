// The solved project at build time, for the page's "compare with a solution": starter −
// solutionDeletes (from checks.ts) + exercise/solution/. The placeholder stays unreplaced.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExerciseDefinition } from '../lib/exercise/define.ts';
import type { FileMap } from '../lib/fs/types.ts';
import { solutionFiles } from '../lib/exercise/plant.ts';
import { readTextTree } from './read-tree.ts';

export async function readSolutionFiles(exerciseDir: string, starter: FileMap): Promise<FileMap> {
  const dir = join(exerciseDir, 'solution');
  if (!existsSync(dir)) return {};
  const overlay = await readTextTree(dir);
  let deletes: string[] = [];
  const checks = join(exerciseDir, 'checks.ts');
  if (existsSync(checks)) {
    const mod = (await import(/* @vite-ignore */ pathToFileURL(checks).href)) as { default?: ExerciseDefinition };
    deletes = mod.default?.solutionDeletes ?? [];
  }
  return solutionFiles(starter, overlay, deletes);
}
