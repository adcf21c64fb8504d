// A chapter's exercise from disk: starter (exercise/files/), solution overlay (exercise/solution/
// plus solutionDeletes) and checks (the default export of exercise/checks.ts). Chapters live in
// LEAKPROOF_LESSONS_DIR (default "lessons") and are named by folder ("03-backend-proxy") or number ("3").
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExerciseDefinition } from '../lib/exercise/define.ts';
import type { FileMap } from '../lib/fs/types.ts';
import { solutionFiles } from '../lib/exercise/plant.ts';
import { validateDefinition } from '../lib/exercise/run-checks.ts';
import { readTextTree } from './read-tree.ts';

export class ChapterNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChapterNotFoundError';
  }
}

export function lessonsDir(cwd = process.cwd()): string {
  const dir = process.env.LEAKPROOF_LESSONS_DIR || 'lessons';
  return isAbsolute(dir) ? dir : resolve(cwd, dir);
}

/** Chapter folders (NN-slug) in the lessons folder, sorted. */
export function chapterFolders(dir = lessonsDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^\d+-/.test(name) && statSync(join(dir, name)).isDirectory())
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
}

/** Chapters that have an exercise (exercise/checks.ts). */
export function exerciseChapters(dir = lessonsDir()): string[] {
  return chapterFolders(dir).filter((c) => existsSync(join(dir, c, 'exercise', 'checks.ts')));
}

/** "3", "03", "03-backend-proxy" → "03-backend-proxy". Throws ChapterNotFoundError with the list. */
export function resolveChapter(nameOrNumber: string, dir = lessonsDir()): string {
  const all = exerciseChapters(dir);
  const wanted = nameOrNumber.trim().replace(/\/+$/, '');
  let found = all.find((c) => c === wanted);
  if (!found && /^\d+$/.test(wanted)) found = all.find((c) => parseInt(c, 10) === Number(wanted));
  if (!found) {
    const list = all.length ? all.map((c) => `  ${c}`).join('\n') : '  (none)';
    throw new ChapterNotFoundError(
      `No chapter "${nameOrNumber}" with an exercise in ${dir}. Use a folder name or its number, one of:\n${list}`,
    );
  }
  return found;
}

export interface LoadedExercise {
  chapter: string;
  /** The chapter's exercise folder. */
  dir: string;
  def: ExerciseDefinition;
  /** Starter files, placeholder not yet replaced by a key. */
  starter: FileMap;
  /** The solved project (starter − solutionDeletes + solution overlay), placeholder not replaced. */
  solution: FileMap;
}

export async function loadExercise(nameOrNumber: string, dir = lessonsDir()): Promise<LoadedExercise> {
  const chapter = resolveChapter(nameOrNumber, dir);
  const exDir = join(dir, chapter, 'exercise');
  const mod = (await import(pathToFileURL(join(exDir, 'checks.ts')).href)) as { default?: ExerciseDefinition };
  const def = mod.default;
  if (!def) throw new Error(`${join(exDir, 'checks.ts')} has no default export. End it with \`export default defineExercise({ ... })\`.`);
  validateDefinition(def);
  const starter = existsSync(join(exDir, 'files')) ? await readTextTree(join(exDir, 'files')) : {};
  const overlay = existsSync(join(exDir, 'solution')) ? await readTextTree(join(exDir, 'solution')) : {};
  return { chapter, dir: exDir, def, starter, solution: solutionFiles(starter, overlay, def.solutionDeletes) };
}
