// What a program writes is a leak too: a script that appends the key to debug.log (in any form)
// leaves it in a file of the project, committed by the next `git add .` or shipped with the folder.
// Checks that run the learner's code look, after the run, at every project file the run created or
// changed (files that were already there unchanged are `no-key-in`'s business), git-ignored ones
// too, except the key's homes (.env and the chapter's declared homes: an admin script that writes a
// new key into .env does the right thing) and the build output the chapter's bundle checks audit
// (a server that builds the front end first puts dist/ there; whether the key is in it is the
// bundle check's verdict, with its own message and hint, not this one's).
import type { FileMap, ReadonlyFs } from '../../fs/types.ts';
import { leakCore } from '../leak.ts';
import { formWords, toEvidence } from './evidence.ts';
import { wholeProjectFs } from './project-files.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';

const decoder = new TextDecoder();

/** Only the files that differ from `before` (new ones, changed ones); unchanged files look absent. */
function changedOnly(fs: ReadonlyFs, before: FileMap, skipDirs: string[]): ReadonlyFs {
  const norm = (p: string) => (p === '.' ? '' : p.replace(/^\.\//, '').replace(/\/+$/, ''));
  const skipped = new Set(skipDirs.map(norm).filter(Boolean));
  const changed = new Map<string, Promise<boolean>>();
  const isChanged = (path: string): Promise<boolean> => {
    let c = changed.get(path);
    if (!c) {
      const old = before[path];
      c = old === undefined ? Promise.resolve(true) : fs.readFile(path).then((bytes) => decoder.decode(bytes) !== old, () => false);
      changed.set(path, c);
    }
    return c;
  };
  const view: ReadonlyFs = {
    async readdir(path) {
      const base = norm(path);
      const entries = await fs.readdir(path);
      const keep = await Promise.all(
        entries.map((e) => {
          const path = base ? `${base}/${e.name}` : e.name;
          return e.kind === 'dir' ? !skipped.has(path) : isChanged(path);
        }),
      );
      return entries.filter((_, i) => keep[i]);
    },
    readFile: (path) => fs.readFile(path),
    stat: (path) => fs.stat(path),
  };
  if (fs.readChunks) view.readChunks = (path, size) => fs.readChunks!(path, size);
  return view;
}

/**
 * A failing outcome when the run left any form of the key in a project file it created or changed;
 * null when it did not. `who` names the program ("`npm start`", "the server (`npm start`)").
 */
export async function keyInWrittenFiles(
  ctx: Pick<CheckRunContext, 'key' | 'engine' | 'files' | 'decompress' | 'keyHomes' | 'auditedBuildDirs'>,
  who: string,
): Promise<CheckOutcome | null> {
  const { auditKey } = await leakCore();
  const project = await wholeProjectFs(ctx.engine.fs, ctx.keyHomes);
  const fs = changedOnly(project.fs, ctx.files, ctx.auditedBuildDirs ?? []);
  const report = await auditKey({ key: ctx.key, target: 'source', fs, dir: '', decompress: ctx.decompress });
  if (!report.leak) return null;
  const f = report.findings[0]!;
  return {
    status: 'fail',
    message: `${who} wrote the key into ${f.file}${f.line ? ` (line ${f.line})` : ''}, a file of the project (${formWords(f.form)}). A log or debug file with the key leaks it as surely as printing it: the next \`git add .\`, a zip of the folder or a deploy takes it along.`,
    evidence: report.findings.slice(0, 10).map(toEvidence),
  };
}
