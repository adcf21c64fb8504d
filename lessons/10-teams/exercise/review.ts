// Chapter 10's review rules, read from the project's files: where GitHub looks for a pull-request
// template and CODEOWNERS, which owner a path gets (the last matching rule, gitignore-style
// patterns), and whether a workflow runs a secret scanner on pull requests. GitHub itself cannot
// run here, so these judge the files as GitHub reads them (parsed, not grepped).
import ignore from 'ignore';
import { parse } from 'yaml';
import type { ReadonlyFs } from '../../../src/lib/fs/types.ts';

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
  error?: string;
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
    let doc: { on?: unknown; jobs?: Record<string, { steps?: Array<{ uses?: unknown; run?: unknown; name?: unknown }> }> };
    try {
      doc = (parse(text) ?? {}) as typeof doc;
    } catch (e) {
      out.push({ path, onPullRequest: false, scanSteps: [], error: (e as Error).message.split('\n')[0] });
      continue;
    }
    const scanSteps: string[] = [];
    for (const [job, spec] of Object.entries(doc.jobs ?? {})) {
      for (const step of spec?.steps ?? []) {
        const uses = typeof step.uses === 'string' ? step.uses : '';
        const run = typeof step.run === 'string' ? step.run : '';
        if (SCANNER_ACTIONS.test(uses) || SCANNER_COMMANDS.test(run)) scanSteps.push(`${job}: ${uses || run.split('\n')[0]}`);
      }
    }
    out.push({ path, onPullRequest: triggers(doc.on).some((t) => t === 'pull_request' || t === 'pull_request_target'), scanSteps });
  }
  return out;
}
