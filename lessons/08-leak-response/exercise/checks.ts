// Chapter 8: the weekend app's key leaked (committed in .env, "deleted" since, still in history)
// and strangers are spending on it. Done when the leaked key is revoked (401), before any new key
// was created (audit log), INCIDENT.md's figures match the ledger, the app works with a new key that
// is not committed, no reachable git object holds the key, and a commit guard stops the next one.
import type { CheckRunContext } from '../../../src/lib/exercise/checks/types.ts';
import { defineExercise } from '../../../src/lib/exercise/define.ts';
import { newKeyDeployed } from './app-check.ts';
import { guardBlocksKeys } from './commit-guard.ts';
import { historyIsClean } from './history.ts';
import { foreignFigures, reviewIncident } from './incident.ts';
import { NoPlatformError, callWith, isLoopback, keyAuditTrail, keys, ledger } from './platform-api.ts';
import { runRespond } from './respond.ts';
import { LEAKED_KEY_ID, platformSeed } from './scenario.ts';
import type { CheckContext } from '../../../src/lib/exercise/define.ts';

type Outcome = { status: 'pass' | 'fail' | 'skipped' | 'error'; message: string };

/** Platform checks: run respond.mjs first (once per press), and say "needs a runtime" without a platform. */
function onPlatform(judge: (ctx: CheckRunContext) => Promise<Outcome>) {
  return async (ctx: CheckRunContext): Promise<Outcome> => {
    try {
      const respond = await runRespond(ctx);
      if (respond.ran && respond.exitCode !== 0) {
        return { status: 'fail', message: `respond.mjs failed with exit code ${respond.exitCode}. What it printed last:\n${respond.output.trimEnd().split('\n').slice(-10).join('\n')}` };
      }
      return await judge(ctx);
    } catch (e) {
      if (e instanceof NoPlatformError) return { status: 'skipped', message: `Not run: ${e.message}` };
      throw e;
    }
  };
}

export default defineExercise({
  chapter: '08-leak-response',
  usesPlatform: true,
  platformSeed,
  // The check sends the app's traffic through its server and the platform, and runs real git
  // (a history rewrite and three commits): the 15 s target of CHAPTERS.md for such chapters.
  targetCheckSeconds: 15,
  checks: [
    {
      id: 'leaked-key-revoked',
      kind: 'custom',
      needsRuntime: true,
      title: 'The leaked key is revoked: a call with it gets 401',
      hint: 'Revoke the key key_weekend_app: in the dashboard (Revoke), or in respond.mjs with `admin.admin.organization.projects.apiKeys.delete(\'key_weekend_app\', { project_id: PROJECT })`.',
      explain: '#1-revoke-the-leaked-key-now',
      run: onPlatform(async (ctx) => {
        const r = await callWith(ctx, ctx.key);
        if (r.status === 401 && r.code === 'invalid_api_key') return { status: 'pass', message: 'A call with the leaked key now gets 401 invalid_api_key.' };
        return { status: 'fail', message: `A call with the leaked key still gets ${r.status}${r.status === 200 ? ': whoever holds it can still spend your money' : ''}.` };
      }),
    },
    {
      id: 'revoked-before-new-key',
      kind: 'custom',
      needsRuntime: true,
      title: 'The audit log shows the revoke before any new key',
      hint: 'Revoke first, then create the new key. If you created a key first, that order is now in the audit log: reset the chapter (which resets the platform) and do it again in order.',
      explain: '#1-revoke-the-leaked-key-now',
      run: onPlatform(async (ctx) => {
        const trail = await keyAuditTrail(ctx);
        const revoked = trail.findIndex((e) => e.type === 'api_key.deleted' && (e['api_key.deleted'] as { id?: string } | undefined)?.id === LEAKED_KEY_ID);
        if (revoked < 0) return { status: 'fail', message: 'The audit log has no api_key.deleted for key_weekend_app: the leaked key has not been revoked.' };
        const earlier = trail.slice(0, revoked).filter((e) => e.type === 'api_key.created');
        if (earlier.length) return { status: 'fail', message: `The audit log shows ${earlier.length} new key(s) created before the leaked key was revoked. While you set up the new key, the stranger kept spending: revoke first.` };
        if (!trail.slice(revoked + 1).some((e) => e.type === 'api_key.created')) return { status: 'fail', message: 'The leaked key is revoked, but no new key was created since: the app has nothing to run on.' };
        return { status: 'pass', message: 'Audit log: api_key.deleted (the leaked key), then api_key.created (its replacement).' };
      }),
    },
    {
      id: 'incident-figures',
      kind: 'custom',
      needsRuntime: true,
      title: "INCIDENT.md's figures match the platform's ledger",
      hint: 'In the dashboard, open "Usage by key and model": your app only ever calls gpt-4o-mini, so the other model\'s calls on key_weekend_app are the stranger\'s. Write their first call (UTC), model, number of requests and cost under the headings of INCIDENT.md.',
      explain: '#2-find-out-what-happened',
      run: onPlatform(async (ctx) => {
        const figures = foreignFigures(await ledger(ctx), LEAKED_KEY_ID, isLoopback);
        if (!figures) return { status: 'error', message: 'The platform shows no foreign traffic to compare with (was it reset?). Press Check again.' };
        const leaked = (await keys(ctx)).find((k) => k.id === LEAKED_KEY_ID);
        const report = await ctx.engine.fs.readFile('INCIDENT.md').then((b) => new TextDecoder().decode(b), () => undefined);
        const problems = reviewIncident(report, figures, leaked?.redacted ?? LEAKED_KEY_ID);
        if (problems.length) return { status: 'fail', message: problems.join('\n') };
        return { status: 'pass', message: 'Every figure in INCIDENT.md matches the ledger: key, first call, model, count and cost.' };
      }),
    },
    {
      id: 'new-key-deployed',
      kind: 'custom',
      needsRuntime: true,
      title: 'The app works with a new key, kept out of git',
      hint: 'Create a new key after the revoke (dashboard: Create secret key; or a service account in respond.mjs), put it in .env as OPENAI_API_KEY=…, and keep it out of every committed file.',
      explain: '#3-a-new-key-deployed',
      timeoutMs: 120_000,
      run: onPlatform(newKeyDeployed),
    },
    {
      id: 'app-answers-safely',
      kind: 'http-probe',
      server: { command: 'npm', args: ['start'] },
      request: { method: 'POST', path: '/api/ask', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'Still there?' }) },
      // "(mock " only comes from the course's platform; platformCall: the answer came through it.
      expect: { status: 200, bodyIncludes: ['"answer"', '(mock '], platformCall: 'any-key' },
      keyAbsent: true,
      title: 'POST /api/ask answers, and no request, good or bad, gets the leaked key back',
      hint: 'Keep server.js as it is: it answers {"answer": …} and on an error logs the code, never the key or the SDK\'s message. The app needs a live key in .env (the new one).',
      explain: '#3-a-new-key-deployed',
    },
    {
      id: 'history-clean',
      kind: 'custom',
      needsRuntime: true,
      title: 'No branch, tag or commit in the history holds the key',
      hint: 'In rewrite-history.sh: `git filter-repo --invert-paths --path .env --force`, then `git reflog expire --expire=now --all` and `git gc --prune=now`. Deleting .env in a new commit leaves it in the old ones. Hiding a key is not removing it: renaming the file in history keeps the key.',
      explain: '#4-rewrite-the-history',
      timeoutMs: 180_000,
      run: historyIsClean,
    },
    {
      id: 'commit-guard',
      kind: 'custom',
      needsRuntime: true,
      title: 'A pre-commit hook refuses a commit holding a key',
      hint: 'Add .githooks/pre-commit (it scans the staged files for sk-proj-, sk-svcacct- and sk-admin- keys and exits 1), and in package.json a "prepare" script: `git config core.hooksPath .githooks && chmod +x .githooks/pre-commit`.',
      explain: '#5-add-the-guard-that-would-have-stopped-it',
      timeoutMs: 240_000,
      run: guardBlocksKeys,
    },
    {
      id: 'key-not-committed',
      kind: 'no-key-in',
      target: 'source',
      title: 'No file git would commit holds the leaked key',
      hint: 'Keep keys only in .env (ignored by git): not in INCIDENT.md, not in a script. Hiding a key is not removing it: base64, hex or a split key still counts.',
      explain: '#4-rewrite-the-history',
    },
  ],
});
