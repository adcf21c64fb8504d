// The course as pages need it, computed once per build from the `lessons` collection.
import { getCollection, type CollectionEntry } from 'astro:content';
import { dirname, join, resolve } from 'node:path';
import { orderChapters } from './chapters.ts';
import { readExerciseFiles } from './exercise-files.ts';
import type { FileMap } from '../lib/fs/types.ts';

export type Chapter = CollectionEntry<'lessons'>;

export async function getChapters(): Promise<Chapter[]> {
  return orderChapters(await getCollection('lessons'));
}

/** Absolute path of the chapter's exercise folder (…/lessons/01-habits/exercise), or null. */
export function getExerciseDir(chapter: Chapter): string | null {
  if (!chapter.data.exercise) return null;
  if (!chapter.filePath) throw new Error(`Chapter "${chapter.id}" has no file path; cannot find its exercise folder.`);
  // filePath is relative to the project root, which is Astro's working directory.
  return join(dirname(resolve(process.cwd(), chapter.filePath)), chapter.data.exercise);
}

/** The chapter's starter files, or null when it has no exercise. */
export async function getStarterFiles(chapter: Chapter): Promise<FileMap | null> {
  const dir = getExerciseDir(chapter);
  return dir ? readExerciseFiles(dir) : null;
}
