// The leaked history, built for real with git: the app's first version, then the key committed in
// .env (tagged v0.1, and a branch grown from there), then .env "deleted", then one more commit —
// the usual story. Then the learner's rewrite-history.sh runs in it, and the git target searches
// every object reachable from any branch, tag or HEAD for the key in any form.
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import { leakCore } from '../../../src/lib/exercise/leak.ts';
import { summarizeFindings, toEvidence } from '../../../src/lib/exercise/checks/evidence.ts';
import type { Evidence } from '../../../src/lib/exercise/results.ts';
import { gitUnavailable, hasRepository, sh } from './git.ts';

// The key goes in through the index (hash-object + update-index), so the working tree's own .env —
// which may already hold the new key — is never touched.
const BUILD = `set -e
git init -q -b main
git config commit.gpgsign false
git config tag.gpgsign false
export GIT_AUTHOR_DATE=2026-11-01T10:00:00Z GIT_COMMITTER_DATE=2026-11-01T10:00:00Z
git add -A
git commit -q -m "First version of the weekend app"
export GIT_AUTHOR_DATE=2026-11-07T21:40:00Z GIT_COMMITTER_DATE=2026-11-07T21:40:00Z
blob=$(printf 'OPENAI_API_KEY=%s\\n' "$LEAKED_KEY" | git hash-object -w --stdin)
git update-index --add --cacheinfo 100644,"$blob",.env
git commit -q -m "Deploy: add .env so the server starts"
git tag -a v0.1 -m "First release"
git branch try-streaming
export GIT_AUTHOR_DATE=2026-11-08T09:15:00Z GIT_COMMITTER_DATE=2026-11-08T09:15:00Z
git rm -q --cached .env
git commit -q -m "Remove .env (oops)"
export GIT_AUTHOR_DATE=2026-11-10T18:02:00Z GIT_COMMITTER_DATE=2026-11-10T18:02:00Z
git commit -q --allow-empty -m "Explain how to run it"
# The branch grows with plumbing, not checkout: checking out an old commit that tracks .env would
# overwrite (and then delete) the ignored .env in the working tree.
tip=$(git commit-tree "try-streaming^{tree}" -p try-streaming -m "Try streaming replies")
git update-ref refs/heads/try-streaming "$tip"
`;

export interface HistoryOutcome {
  status: 'pass' | 'fail' | 'skipped' | 'error';
  message: string;
  evidence?: Evidence[];
}

export async function historyIsClean(ctx: CheckContext): Promise<HistoryOutcome> {
  const missing = await gitUnavailable(ctx);
  if (missing) return missing;
  // A repository that came with the project (the CLI on a real folder) is judged as it is.
  if (!(await hasRepository(ctx))) {
    const built = await sh(ctx, BUILD, { LEAKED_KEY: ctx.key });
    if (built.exitCode !== 0) return { status: 'error', message: `Building the leaked history failed (exit code ${built.exitCode}):\n${built.output.slice(-800)}` };
    if (!(await ctx.engine.fs.stat('rewrite-history.sh').catch(() => null))) {
      return { status: 'fail', message: 'rewrite-history.sh is missing: the check runs it in the leaked repository. Put it back (reset the file) and write your commands in it.' };
    }
    const run = await sh(ctx, 'sh ./rewrite-history.sh', {}, 120_000);
    if (run.exitCode !== 0) {
      return { status: 'fail', message: `rewrite-history.sh failed with exit code ${run.exitCode}${run.timedOut ? ' (it took too long)' : ''}. What it printed last:\n${run.output.trimEnd().split('\n').slice(-12).join('\n')}` };
    }
  }
  if (!(await hasRepository(ctx))) return { status: 'fail', message: 'After rewrite-history.sh there is no repository left (.git is gone). A fresh start still needs `git init` and a first commit.' };
  const { auditKey } = await leakCore();
  const report = await auditKey({ key: ctx.key, target: 'git', fs: ctx.engine.fs, dir: '' });
  if (report.leak) return { status: 'fail', message: summarizeFindings(report.findings, 'git'), evidence: report.findings.slice(0, 20).map(toEvidence) };
  const head = await sh(ctx, 'git rev-parse --verify -q HEAD >/dev/null && git ls-files | head -1');
  if (head.exitCode !== 0 || !head.output.trim()) return { status: 'fail', message: 'The repository has no commit with the project in it any more. Keep the app: remove only the key.' };
  return { status: 'pass', message: 'No commit, tree, tag or branch reachable in the repository holds any form of the key.' };
}
