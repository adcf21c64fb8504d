// "CI scans every push and pull request", judged by running it: the workflow files are parsed with
// the `yaml` package, a workflow must trigger on both push and pull_request, and its `run` steps are
// executed as a runner would, in a fresh clone of the committed files — once as they are (the scan
// must pass) and once with a committed file holding the key (the scan must fail the job).
import { parse } from 'yaml';
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import { gitUnavailable, hasRepository, sh } from '../../08-leak-response/exercise/git.ts';

const dec = new TextDecoder();

export function triggers(on: unknown): Set<string> {
  if (typeof on === 'string') return new Set([on]);
  if (Array.isArray(on)) return new Set(on.filter((x): x is string => typeof x === 'string'));
  if (on && typeof on === 'object') return new Set(Object.keys(on));
  return new Set();
}

/** Steps that install dependencies are left out: the course has installed them from the lockfile. */
const INSTALL = /^\s*(npm (ci|install|i)|yarn( install)?|pnpm (i|install))(\s|$)/;

export interface Workflow {
  file: string;
  runs: string[];
}

export async function readWorkflows(ctx: CheckContext): Promise<{ workflows: Workflow[]; problems: string[] }> {
  const problems: string[] = [];
  const workflows: Workflow[] = [];
  const dir = '.github/workflows';
  const entries = await ctx.engine.fs.readdir(dir).catch(() => []);
  for (const e of entries) {
    if (e.kind !== 'file' || !/\.ya?ml$/.test(e.name)) continue;
    const file = `${dir}/${e.name}`;
    let doc: unknown;
    try {
      doc = parse(dec.decode(await ctx.engine.fs.readFile(file)));
    } catch (err) {
      problems.push(`${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    const wf = doc as { on?: unknown; jobs?: Record<string, { steps?: Array<{ run?: unknown }> }> } | null;
    const on = triggers(wf?.on);
    if (!on.has('push') || !on.has('pull_request')) {
      problems.push(`${file} runs on ${[...on].join(', ') || 'nothing'}; it needs both push and pull_request.`);
      continue;
    }
    const runs = Object.values(wf?.jobs ?? {}).flatMap((job) => (job?.steps ?? []).map((s) => s?.run).filter((r): r is string => typeof r === 'string' && !INSTALL.test(r)));
    workflows.push({ file, runs });
  }
  if (!entries.length) problems.push('There is no workflow: add one in .github/workflows/ (for example secret-scan.yml).');
  return { workflows, problems };
}

/** Run the workflow's steps in a fresh clone, as a runner would (bash -e, CI=true). */
async function runInClone(ctx: CheckContext, runs: string[], withKey: boolean) {
  const steps = runs.map((r, i) => `printf '%s' ${shellQuote(r)} > "$dir/step${i}.sh"`).join('\n');
  const leak = withKey ? `printf "export const apiKey = '%s';\\n" "$LEAKED_KEY" > src/ci-leak.js && git add src/ci-leak.js && git commit -q --no-verify -m "A key slips through"` : 'true';
  const script = `set -e
dir=$(mktemp -d)
${steps}
git clone -q --no-local . "$dir/repo"
rm -rf "$dir/repo/node_modules" && ln -s "$PWD/node_modules" "$dir/repo/node_modules"
cd "$dir/repo"
mkdir -p src
${leak}
status=0
for step in $(ls "$dir"/step*.sh 2>/dev/null | sort -V); do
  bash -e "$step" || { status=$?; break; }
done
cd /; rm -rf "$dir"
exit $status`;
  return sh(ctx, script, { LEAKED_KEY: ctx.key, CI: 'true', GITHUB_ACTIONS: 'true' }, 180_000);
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function workflowScans(ctx: CheckContext): Promise<{ status: 'pass' | 'fail' | 'skipped' | 'error'; message: string }> {
  const { workflows, problems } = await readWorkflows(ctx);
  if (!workflows.length) return { status: 'fail', message: problems.join('\n') || 'No workflow runs on push and pull_request.' };
  const missing = await gitUnavailable(ctx);
  if (missing) return missing;
  if (!(await hasRepository(ctx))) {
    const init = await sh(ctx, 'git init -q -b main && git config commit.gpgsign false && git add -A && git commit -q --no-verify -m "The project as it is"');
    if (init.exitCode !== 0) return { status: 'error', message: `Could not make a repository to run the workflow in: ${init.output.slice(-400)}` };
  }
  const mask = (t: string) => t.split(ctx.key).join(`${ctx.key.slice(0, 8)}****`);
  for (const wf of workflows) {
    if (!wf.runs.length) continue;
    // Two independent clones: run them side by side.
    const [clean, leaked] = await Promise.all([runInClone(ctx, wf.runs, false), runInClone(ctx, wf.runs, true)]);
    if (clean.exitCode !== 0) {
      problems.push(`${wf.file} fails on the project as it is (exit code ${clean.exitCode}), so every push would be red. What it printed last:\n${mask(clean.output).trimEnd().split('\n').slice(-8).join('\n')}`);
      continue;
    }
    if (leaked.exitCode === 0) {
      problems.push(`${wf.file} passed on a push that commits src/ci-leak.js holding the key: its steps do not scan the repository with a rule that knows this key.`);
      continue;
    }
    return { status: 'pass', message: `${wf.file} runs on push and pull_request, passes on the project and fails the job when a commit holds the key.` };
  }
  if (workflows.every((w) => !w.runs.length)) problems.push('The workflow has no `run` step to scan with. Add one such as `run: npx secretlint "**/*"` (the course runs run steps; it cannot run marketplace actions here).');
  return { status: 'fail', message: problems.join('\n') };
}
