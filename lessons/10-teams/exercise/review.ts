// Chapter 10's review rules, read from the project's files: where GitHub looks for a pull-request
// template and CODEOWNERS, which owner a path gets (the last matching rule, gitignore-style
// patterns), and whether a workflow runs a secret scanner on pull requests. GitHub itself cannot
// run here, so these judge the files as GitHub reads them (parsed, not grepped).
import ignore from 'ignore';
import { parse } from 'yaml';
import type { ReadonlyFs } from '../../../src/lib/fs/types.ts';
import { triggerMisses } from '../../../src/lib/exercise/checks/workflow-triggers.ts';

const decoder = new TextDecoder();

export async function readText(fs: ReadonlyFs, path: string): Promise<string | null> {
  try {
    return decoder.decode(await fs.readFile(path));
  } catch {
    return null;
  }
}

async function list(fs: ReadonlyFs, dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((e) => e.kind === 'file').map((e) => `${dir}/${e.name}`);
  } catch {
    return [];
  }
}

/** The first file that exists, in GitHub's order, or null. */
export async function firstOf(fs: ReadonlyFs, paths: string[]): Promise<{ path: string; text: string } | null> {
  for (const path of paths) {
    const text = await readText(fs, path);
    if (text !== null) return { path, text };
  }
  return null;
}

export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

export async function prTemplates(fs: ReadonlyFs): Promise<Array<{ path: string; text: string }>> {
  const names = ['pull_request_template.md', 'PULL_REQUEST_TEMPLATE.md'];
  const paths = ['.github', '', 'docs'].flatMap((d) => names.map((n) => (d ? `${d}/${n}` : n)));
  paths.push(...(await list(fs, '.github/PULL_REQUEST_TEMPLATE')));
  const found: Array<{ path: string; text: string }> = [];
  for (const path of paths) {
    const text = await readText(fs, path);
    if (text !== null) found.push({ path, text });
  }
  return found;
}

/** Task-list items (`- [ ] …`) of a markdown text. */
export function checklistItems(markdown: string): string[] {
  return [...markdown.matchAll(/^\s*[-*+]\s+\[[ xX]\]\s+(.+)$/gm)].map((m) => m[1]!.trim());
}

/** Owners CODEOWNERS gives a path: the last rule whose pattern matches wins. */
export function ownersOf(codeowners: string, path: string): string[] {
  let owners: string[] = [];
  for (const raw of codeowners.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    const [pattern, ...rest] = line.split(/\s+/);
    if (ignore().add(pattern!).ignores(path)) owners = rest.filter((o) => /^@[\w.-]+(\/[\w.-]+)?$|^[^@\s]+@[^@\s]+$/.test(o));
  }
  return owners;
}

const SCANNER_ACTIONS = /^(gitleaks\/gitleaks-action|trufflesecurity\/trufflehog|gitguardian\/ggshield-action)@/i;
const SCANNER_COMMANDS = /\b(gitleaks|trufflehog|detect-secrets(-hook)?|ggshield|secretlint|leakproof\s+scan)\b/;

export interface Workflow {
  path: string;
  onPullRequest: boolean;
  scanSteps: string[];
  /** Scanner steps that cannot fail a pull request (continue-on-error, `|| true`, flags that exit 0 on a find, an `if:` that skips pull requests), with why. */
  toothless: string[];
  error?: string;
}

/** A run step's command lines: comments and echo/printf lines are not commands that scan. */
function commandLines(run: string): string[] {
  return run
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l && !/^(echo|printf|:)\b/.test(l));
}

/** The scanner is run, not only named. */
function runsScanner(run: string): boolean {
  return commandLines(run).some((l) => SCANNER_COMMANDS.test(l));
}

/** A scanner line's own flags that make it exit 0 when it finds a key, with why; undefined when it fails on a find. */
function neverFailsOnFind(line: string): string | undefined {
  if (/\bgitleaks\b/.test(line) && /--exit-code(=|\s+)['"]?0\b/.test(line)) return 'gitleaks --exit-code 0 exits 0 when it finds a key';
  if (/\btrufflehog\b/.test(line) && !/\s--fail\b/.test(line)) return 'trufflehog exits 0 when it finds a key unless it is given --fail';
  if (/\bggshield\b/.test(line) && /--exit-zero\b/.test(line)) return 'ggshield --exit-zero exits 0 when it finds a key';
  if (/\bdetect-secrets\s+scan\b/.test(line)) return 'detect-secrets scan writes a baseline and exits 0; detect-secrets-hook fails on a new secret';
  return undefined;
}

/**
 * Why a run step's scan exits 0 whatever it finds: every scanner line in it never fails on a find,
 * and nothing after it turns a finding into a failure (an `exit 1`, a `test`/`[`, `false`).
 */
function scanNeverFails(run: string): string | undefined {
  const lines = commandLines(run);
  const scans = lines.filter((l) => SCANNER_COMMANDS.test(l));
  const whys = scans.map(neverFailsOnFind);
  if (!scans.length || whys.some((w) => w === undefined)) return undefined;
  if (lines.some((l) => /\bexit\s+[1-9]|(^|[;&|]\s*)(test|\[|false)\b/.test(l))) return undefined;
  return whys[0];
}

/** continue-on-error that may be true (true, or an expression) keeps the job green when the scan finds a key. */
function mayContinue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim() !== '' && v.trim() !== 'false');
}

/** Why a scanner step cannot fail a pull request, or undefined when it can. */
function whyToothless(step: { run?: unknown; if?: unknown; 'continue-on-error'?: unknown }, job: { if?: unknown; 'continue-on-error'?: unknown }): string | undefined {
  if (mayContinue(step['continue-on-error']) || mayContinue(job['continue-on-error'])) return 'continue-on-error keeps the job green when it finds a key';
  const run = typeof step.run === 'string' ? step.run : '';
  if (/\|\|\s*(true|:|exit\s+0)\b|\bset\s+\+e\b/.test(run)) return 'its failure is swallowed (|| true, set +e), so the job stays green';
  const never = scanNeverFails(run);
  if (never) return never;
  for (const cond of [step.if, job.if]) {
    if (cond === false) return 'its `if:` is false: it never runs';
    if (typeof cond !== 'string') continue;
    const c = cond.replace(/\$\{\{|\}\}/g, '').trim();
    if (/^false$/i.test(c)) return 'its `if:` is false: it never runs';
    if (/github\.event_name\s*==\s*['"]push['"]|github\.event_name\s*!=\s*['"]pull_request(_target)?['"]/.test(c)) return 'its `if:` skips pull requests';
  }
  return undefined;
}

/** A pull_request trigger limited to some paths lets a pull request that touches other files through unscanned. */
function pullRequestFiltered(on: unknown): boolean {
  return (['pull_request', 'pull_request_target'] as const).some((event) => triggerMisses(on, event) !== undefined);
}

function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((x): x is string => typeof x === 'string');
  if (on && typeof on === 'object') return Object.keys(on);
  return [];
}

export async function workflows(fs: ReadonlyFs): Promise<Workflow[]> {
  const paths = (await list(fs, '.github/workflows')).filter((p) => /\.ya?ml$/.test(p));
  const out: Workflow[] = [];
  for (const path of paths) {
    const text = (await readText(fs, path)) ?? '';
    type Step = { uses?: unknown; run?: unknown; name?: unknown; if?: unknown; 'continue-on-error'?: unknown };
    let doc: { on?: unknown; jobs?: Record<string, { steps?: Step[]; if?: unknown; 'continue-on-error'?: unknown }> };
    try {
      doc = (parse(text) ?? {}) as typeof doc;
    } catch (e) {
      out.push({ path, onPullRequest: false, scanSteps: [], toothless: [], error: (e as Error).message.split('\n')[0] });
      continue;
    }
    const scanSteps: string[] = [];
    const toothless: string[] = [];
    for (const [job, spec] of Object.entries(doc.jobs ?? {})) {
      for (const step of spec?.steps ?? []) {
        if (!step || typeof step !== 'object') continue;
        const uses = typeof step.uses === 'string' ? step.uses : '';
        const run = typeof step.run === 'string' ? step.run : '';
        if (!(SCANNER_ACTIONS.test(uses) || runsScanner(run))) continue;
        const label = `${job}: ${uses || run.trim().split('\n')[0]}`;
        const why = whyToothless(step, spec ?? {});
        if (why) toothless.push(`${label} (${why})`);
        else scanSteps.push(label);
      }
    }
    const onPullRequest = triggers(doc.on).some((t) => t === 'pull_request' || t === 'pull_request_target') && !pullRequestFiltered(doc.on);
    out.push({ path, onPullRequest, scanSteps, toothless });
  }
  return out;
}
