// `leakproof new <chapter> <dir> [--solution]`: a chapter's starter (or solved) project with a
// freshly planted key, for working outside the browser. The key goes to a file OUTSIDE <dir>, so
// the project folder never ships the checker's copy of it.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generatePlantedKey } from '../../lib/exercise/planted-key.ts';
import { plantKey } from '../../lib/exercise/plant.ts';
import { ChapterNotFoundError, loadExercise } from '../../node/load-exercise.ts';

export const usage = `Usage: leakproof new <chapter> <dir> [--solution]

Writes a chapter's starter project (or, with --solution, the solved one) into <dir> with a freshly
planted fake key, writes that key to a file outside <dir>, and prints the file's path.

  <chapter>    the chapter's folder name ("03-backend-proxy") or its number ("3")
  <dir>        a folder that does not exist yet, or is empty
  --solution   write the solved project instead of the starter

Then: leakproof check <chapter> <dir> --key-file <printed path>`;

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--solution');
  const positional = args.filter((a) => !a.startsWith('-'));
  if (unknown.length || positional.length !== 2) {
    console.error(`leakproof new: ${unknown.length ? `unknown option ${unknown[0]}` : 'expected a chapter and a folder'}.\n\n${usage}`);
    return 2;
  }
  const [chapterArg, dirArg] = positional as [string, string];
  const dir = resolve(dirArg);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    console.error(`leakproof new: ${dir} already exists and is not empty. Choose a new folder name, or empty that folder first.`);
    return 2;
  }
  let ex;
  try {
    ex = await loadExercise(chapterArg);
  } catch (e) {
    console.error(`leakproof new: ${(e as Error).message}`);
    return e instanceof ChapterNotFoundError ? 2 : 1;
  }
  const key = generatePlantedKey();
  const files = plantKey(args.includes('--solution') ? ex.solution : ex.starter, key);
  for (const [path, text] of Object.entries(files)) {
    const full = resolve(dir, path);
    if (!inside(full, dir)) throw new Error(`Refusing to write ${path}: it points outside ${dir}.`);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  mkdirSync(dir, { recursive: true });
  let keyDir = tmpdir();
  if (inside(resolve(keyDir), dir)) keyDir = dirname(dir); // never inside the project
  const keyFile = join(keyDir, `leakproof-key-${ex.chapter}-${randomBytes(4).toString('hex')}.txt`);
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  console.error(`Wrote the ${args.includes('--solution') ? 'solved' : 'starter'} project of ${ex.chapter} into ${dir} (${Object.keys(files).length} files).`);
  console.error(`The planted key is in this file (outside the project, readable only by you). Check your work with:`);
  console.error(`  npx leakproof check ${ex.chapter} ${dirArg} --key-file ${keyFile}`);
  console.log(keyFile);
  return 0;
}
