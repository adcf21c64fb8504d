// Every path a learner sends (the page's files) is normalised before any decision is made on it:
// `.//node_modules/x`, `a/../node_modules/x` or `NODE_MODULES/x` must not slip past a check that
// looks at the first segment, and then be written through the workspace's node_modules link into
// the dependency cache that every later session shares.

export class LearnerPathError extends Error {}

/** `a//./b/c` → `a/b/c`; throws LearnerPathError for a path that is absolute, leaves the project or is empty. */
export function normaliseLearnerPath(path: string): string {
  const what = JSON.stringify(path);
  if (path.includes('\0')) throw new LearnerPathError(`The file path ${what} contains a NUL character.`);
  if (path.includes('\\')) throw new LearnerPathError(`The file path ${what} contains a backslash: use / between folders.`);
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw new LearnerPathError(`The file path ${what} must be relative to the project, not absolute.`);
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new LearnerPathError(`The file path ${what} must stay inside the project (no "..").`);
  if (parts.length === 0) throw new LearnerPathError(`The file path ${what} names no file.`);
  return parts.join('/');
}

/** True for node_modules and anything in it (any letter case: some file systems ignore case). */
export function isDependencyPath(normalised: string): boolean {
  return normalised.split('/')[0]!.toLowerCase() === 'node_modules';
}
