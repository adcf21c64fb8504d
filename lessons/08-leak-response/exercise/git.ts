// Real `git` for the checks that judge a repository. Only the local engine has the git binary (and
// a workspace that is a real folder); elsewhere these checks are "needs a runtime", never passed.
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import type { RunResult } from '../../../src/lib/exercise/engine.ts';

export const NEEDS_GIT = 'Not run: needs a runtime. This check runs real git, which only the local engine has (`npm start` on your machine). It does not count as passed.';

/** Identity and isolation for every git the checks run: no system config, a fixed author. */
export const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Sam Weekend',
  GIT_AUTHOR_EMAIL: 'sam@example.com',
  GIT_COMMITTER_NAME: 'Sam Weekend',
  GIT_COMMITTER_EMAIL: 'sam@example.com',
  GIT_TERMINAL_PROMPT: '0',
};

/** Null when git can run here, else the skipped outcome to return. */
export async function gitUnavailable(ctx: CheckContext): Promise<{ status: 'skipped'; message: string } | null> {
  if (ctx.engine.kind !== 'local' || !ctx.engine.capabilities.processes) return { status: 'skipped', message: NEEDS_GIT };
  const r = await ctx.engine.run('git', ['--version'], { env: GIT_ENV, timeoutMs: 10_000, signal: ctx.signal }).catch(() => null);
  if (!r || r.exitCode !== 0) return { status: 'skipped', message: 'Not run: git is not installed on this machine (install git and press Check again). It does not count as passed.' };
  return null;
}

export function sh(ctx: CheckContext, script: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunResult> {
  return ctx.engine.run('sh', ['-c', script], { env: { ...GIT_ENV, ...env }, timeoutMs, signal: ctx.signal });
}

export async function hasRepository(ctx: CheckContext): Promise<boolean> {
  return !!(await ctx.engine.fs.stat('.git/HEAD').catch(() => null));
}
