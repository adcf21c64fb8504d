// `git-ignored`: would git ignore this path? Reads every .gitignore from the root down to the
// path's folder, as git does (a deeper file overrides a shallower one; a path inside an ignored
// folder stays ignored), with the same `ignore` package the leak core's source target uses.
import ignore from 'ignore';
import type { ReadonlyFs } from '../../fs/types.ts';
import type { CheckSpec } from '../define.ts';
import { normalizePath } from '../plant.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';

type Spec = Extract<CheckSpec, { kind: 'git-ignored' }>;
type Ignore = ReturnType<typeof ignore>;

async function levels(fs: ReadonlyFs, path: string): Promise<Array<{ dir: string; ig: Ignore }>> {
  const parts = path.split('/').slice(0, -1);
  const dirs = [''];
  for (let i = 1; i <= parts.length; i++) dirs.push(parts.slice(0, i).join('/'));
  const out: Array<{ dir: string; ig: Ignore }> = [];
  for (const dir of dirs) {
    const file = dir ? `${dir}/.gitignore` : '.gitignore';
    const bytes = await fs.readFile(file).catch(() => null);
    if (bytes) out.push({ dir, ig: ignore().add(new TextDecoder().decode(bytes)) });
  }
  return out;
}

function decide(lv: Array<{ dir: string; ig: Ignore }>, path: string): boolean {
  let ignored = false;
  for (const { dir, ig } of lv) {
    if (dir && !path.startsWith(`${dir}/`)) continue;
    const rel = dir ? path.slice(dir.length + 1) : path;
    if (!rel || rel === '/') continue;
    const r = ig.test(rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** True when git would not commit `path` (relative to the project root). */
export async function isGitIgnored(fs: ReadonlyFs, rawPath: string): Promise<boolean> {
  const path = normalizePath(rawPath).replace(/\/$/, '');
  const lv = await levels(fs, path);
  const parts = path.split('/');
  // A file inside an ignored folder cannot be re-included by a deeper rule.
  for (let i = 1; i < parts.length; i++) if (decide(lv, `${parts.slice(0, i).join('/')}/`)) return true;
  return decide(lv, path);
}

export async function gitIgnored(spec: Spec, ctx: CheckRunContext): Promise<CheckOutcome> {
  const ignored = await isGitIgnored(ctx.engine.fs, spec.path);
  // "git commits X" needs an X: a file that is not there is committed by nobody.
  if (!spec.ignored && !ignored && !(await ctx.engine.fs.stat(spec.path).then((s) => s.kind === 'file', () => false))) {
    return { status: 'fail', message: `\`${spec.path}\` does not exist yet, so git has nothing to commit: create it.` };
  }
  if (ignored === spec.ignored) {
    return { status: 'pass', message: spec.ignored ? `git ignores \`${spec.path}\`: it will not be committed.` : `git will commit \`${spec.path}\`, as it should.` };
  }
  const hasGitignore = await ctx.engine.fs.stat('.gitignore').then(() => true, () => false);
  return spec.ignored
    ? {
        status: 'fail',
        message: hasGitignore
          ? `\`.gitignore\` does not cover \`${spec.path}\`: git would commit it, and the key in it.`
          : `There is no \`.gitignore\`, so git would commit \`${spec.path}\` and the key in it.`,
        evidence: [{ file: '.gitignore' }],
      }
    : {
        status: 'fail',
        message: `\`${spec.path}\` is ignored by a \`.gitignore\` rule, so git would not commit it — but it should be committed.`,
        evidence: [{ file: '.gitignore' }],
      };
}
