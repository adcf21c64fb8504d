// "CI scans every push and pull request", judged by running it: the workflow files are parsed with
// the `yaml` package, a workflow must trigger on both push and pull_request, and its `run` steps are
// executed as a runner would, in a fresh clone of the committed files — once as they are (the scan
// must pass) and once with a committed file holding the key (the scan must fail the job).
import { parse } from 'yaml';
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import { triggerMisses } from '../../../src/lib/exercise/checks/workflow-triggers.ts';
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

export interface Step {
  run: string;
  /** `continue-on-error` on the step or its job: a runner keeps the job green when this step fails. */
  mayFail: boolean;
  /** `working-directory` of the step (or the job's or workflow's `defaults.run`): the step runs there. */
  dir?: string;
}

export interface Workflow {
  file: string;
  runs: Step[];
}

/** `continue-on-error: true` or an expression (`${{ … }}`) that may be true: either lets a failing step pass. */
function mayContinue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim() !== '' && v.trim() !== 'false');
}

/**
 * An `if:` that keeps the step (or job) from running on a push or a pull request: false, or a test of
 * github.event_name for one of them. The course runs both kinds of event, so such a step is left out.
 */
function skipsAnEvent(cond: unknown): boolean {
  if (cond === false) return true;
  if (typeof cond !== 'string') return false;
  const c = cond.replace(/\$\{\{|\}\}/g, '').trim();
  return /^false$/i.test(c) || /github\.event_name\s*(==|!=)\s*['"](push|pull_request(_target)?)['"]/.test(c);
}

type RunDefaults = { defaults?: { run?: { 'working-directory'?: unknown } } } | undefined;
function defaultDir(x: RunDefaults): string | undefined {
  const d = x?.defaults?.run?.['working-directory'];
  return typeof d === 'string' ? d : undefined;
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
    type Job = { steps?: Array<{ run?: unknown; if?: unknown; 'continue-on-error'?: unknown; 'working-directory'?: unknown }>; if?: unknown; 'continue-on-error'?: unknown } & RunDefaults;
    const wf = doc as ({ on?: unknown; jobs?: Record<string, Job> } & RunDefaults) | null;
    const on = triggers(wf?.on);
    if (!on.has('push') || !on.has('pull_request')) {
      problems.push(`${file} runs on ${[...on].join(', ') || 'nothing'}; it needs both push and pull_request.`);
      continue;
    }
    const misses = (['push', 'pull_request'] as const).map((ev) => [ev, triggerMisses(wf?.on, ev)] as const).find(([, why]) => why);
    if (misses) {
      problems.push(`${file} runs on ${misses[0]} ${misses[1]}. Scan every ${misses[0] === 'push' ? 'push' : 'pull request'}: leave out that filter.`);
      continue;
    }
    const runs = Object.values(wf?.jobs ?? {}).filter((job) => !skipsAnEvent(job?.if)).flatMap((job) =>
      (job?.steps ?? [])
        .filter((s) => typeof s?.run === 'string' && !INSTALL.test(s.run) && !skipsAnEvent(s.if))
        .map((s) => {
          const wd = s['working-directory'];
          return { run: s.run as string, mayFail: mayContinue(s['continue-on-error']) || mayContinue(job?.['continue-on-error']), dir: typeof wd === 'string' ? wd : defaultDir(job) ?? defaultDir(wf ?? undefined) };
        }),
    );
    workflows.push({ file, runs });
  }
  if (!entries.length) problems.push('There is no workflow: add one in .github/workflows/ (for example secret-scan.yml).');
  return { workflows, problems };
}

/**
 * Where the leak is committed when the workflow is tried with one: a source file and a note in
 * another folder with another extension, each in its own run, so a scan of only some paths or file
 * types (`src/**`, `**\/*.js`) is caught; a scanner must fail the job for both.
 */
const LEAKS: Array<{ path: string; line: string }> = [
  { path: 'src/ci-leak.js', line: "export const apiKey = '%s';\\n" },
  { path: 'docs/ci-leak.md', line: 'Set OPENAI_API_KEY=%s before you run it.\\n' },
];

/** Run the workflow's steps in a fresh clone, as a runner would (bash -e, CI=true, working-directory, continue-on-error). */
async function runInClone(ctx: CheckContext, runs: Step[], leakAt?: (typeof LEAKS)[number]) {
  const steps = runs
    .map((r, i) => {
      const body = (r.dir ? `cd ${shellQuote(r.dir)}\n` : '') + r.run;
      return `printf '%s' ${shellQuote(body)} > "$dir/step${i}.sh"${r.mayFail ? `; touch "$dir/step${i}.sh.may-fail"` : ''}`;
    })
    .join('\n');
  const leak = leakAt ? `mkdir -p ${shellQuote(leakAt.path.replace(/\/[^/]*$/, ''))} && printf "${leakAt.line}" "$LEAKED_KEY" > ${shellQuote(leakAt.path)} && git add ${shellQuote(leakAt.path)} && git commit -q --no-verify -m "A key slips through"` : 'true';
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
  bash -e "$step" || { code=$?; [ -e "$step.may-fail" ] || { status=$code; break; }; }
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
    const [clean, ...leakedRuns] = await Promise.all([runInClone(ctx, wf.runs), ...LEAKS.map((l) => runInClone(ctx, wf.runs, l))]);
    if (clean.exitCode !== 0) {
      problems.push(`${wf.file} fails on the project as it is (exit code ${clean.exitCode}), so every push would be red. What it printed last:\n${mask(clean.output).trimEnd().split('\n').slice(-8).join('\n')}`);
      continue;
    }
    const missed = LEAKS.filter((_, i) => leakedRuns[i]!.exitCode === 0);
    if (missed.length) {
      problems.push(`${wf.file} passed on a push that commits ${missed.map((l) => l.path).join(' (and, in another push, ')}${missed.length > 1 ? ')' : ''} holding the key: its steps do not scan every committed file with a rule that knows this key, or a failing scan does not fail the job (continue-on-error, || true).`);
      continue;
    }
    return { status: 'pass', message: `${wf.file} runs on push and pull_request, passes on the project and fails the job when a commit holds the key.` };
  }
  if (workflows.every((w) => !w.runs.length)) problems.push('The workflow has no `run` step to scan with. Add one such as `run: npx secretlint "**/*"` (the course runs run steps; it cannot run marketplace actions here).');
  return { status: 'fail', message: problems.join('\n') };
}
