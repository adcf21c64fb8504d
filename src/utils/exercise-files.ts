// Reads a chapter's starter project (lessons/<chapter>/<exercise>/files/) into a FileMap at build
// time, so the page can show it before any engine runs. Same reader as `leakproof new` and the
// exercise tests (src/node/read-tree.ts), so page and CLI see the same starter: every text file,
// dotfiles too (.env, .gitignore are the point of the course), node_modules and .git left out. The
// {{PLANTED_KEY}} placeholder stays: the page plants a fresh key per attempt.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { FileMap } from '../lib/fs/types.ts';
import { readTextTree } from '../node/read-tree.ts';

export async function readExerciseFiles(exerciseDir: string): Promise<FileMap> {
  const filesDir = join(exerciseDir, 'files');
  if (!isDirectory(filesDir)) {
    throw new Error(
      `The exercise folder ${exerciseDir} has no files/ folder. Put the starter project in ${filesDir}, ` +
        'or remove `exercise:` from the chapter frontmatter if the chapter has no exercise.',
    );
  }
  const skipped: string[] = [];
  const files = await readTextTree(filesDir, { skipped });
  if (skipped.length) {
    // The workspace edits text only; a binary starter file would silently vanish from the page.
    throw new Error(
      `${filesDir} holds binary files the workspace cannot show: ${skipped.join(', ')}. Remove them from the starter project.`,
    );
  }
  return files;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
