// Where the course's chapters live. Build-time only (Node): the site reads it through Astro's
// content collection, the exercise loader reads the starter files next to each chapter.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The course folder as Astro's glob loader wants it: relative to the project root, or a file URL. */
export function lessonsDir(env: Record<string, string | undefined> = process.env): string | URL {
  const dir = env.LEAKPROOF_LESSONS_DIR || 'lessons';
  return isAbsolute(dir) ? pathToFileURL(dir.endsWith('/') ? dir : `${dir}/`) : dir;
}

/** The course folder as an absolute path (Astro runs with the project root as working directory). */
export function lessonsPath(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  return resolve(cwd, env.LEAKPROOF_LESSONS_DIR || 'lessons');
}
