// Human-readable output of `leakproof audit` and `leakproof scan`: what was found, where, in what
// form (in words), masked, and what to do about it. `--json` output is built in the commands.
import type { Finding, Target } from '../lib/leak/types.ts';
import { describeForm } from '../lib/leak/fragments.ts';

const ADVICE: Record<Target, string> = {
  source:
    'Remove the key from these files and read it from the environment (process.env.OPENAI_API_KEY, loaded from a git-ignored .env). If it was ever committed or pushed, rotate it.',
  bundle:
    'A browser bundle is public: never give the key to client code (no VITE_/NEXT_PUBLIC_ variable). Call OpenAI from your server (a /api proxy) and rebuild.',
  git: 'History keeps the key even after the file is fixed. Revoke/rotate the key first; then rewrite history (git filter-repo --sensitive-data-removal) if you must, and remember forks and clones keep it.',
  docker:
    'Keep the key out of Dockerfiles, compose files and the build context: list .env in .dockerignore, pass the key at run time (environment: [OPENAI_API_KEY], env_file, or Compose/BuildKit secrets).',
  image:
    'Anyone with the image can read every layer and its config. Rebuild without the key (.dockerignore, RUN --mount=type=secret), delete the old image and tags, and rotate the key.',
};

function where(f: Finding): string {
  let s = f.file;
  if (f.line) s += `:${f.line}${f.column ? `:${f.column}` : ''}`;
  const extra: string[] = [];
  if (f.commit) extra.push(`commit ${f.commit.slice(0, 10)}`);
  if (f.layer) extra.push(`layer ${f.layer.length > 24 ? f.layer.slice(0, 19) + '…' : f.layer}`);
  return extra.length ? `${s} (${extra.join(', ')})` : s;
}

function indent(text: string, by = '      '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

export function formatFindings(findings: Finding[], title: string): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`  ✗ ${where(f)}  [${f.target}${f.rule ? `, ${f.rule}` : ''}]`);
    lines.push(indent(`form: ${describeForm(f.form)}`));
    lines.push(indent(`seen: ${f.excerpt}`));
    lines.push(indent(f.message));
    lines.push('');
  }
  const byTarget = new Map<Target, number>();
  for (const f of findings) byTarget.set(f.target, (byTarget.get(f.target) ?? 0) + 1);
  const places = new Set(findings.map((f) => `${f.commit ?? ''}|${f.layer ?? ''}|${f.file}`)).size;
  lines.push(`${title}: ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${places} place${places === 1 ? '' : 's'}.`);
  lines.push('');
  lines.push('What to do:');
  for (const t of byTarget.keys()) lines.push(`  - ${t}: ${ADVICE[t]}`);
  return lines.join('\n');
}

/** The machine-readable result: printed as the last line of stdout with --json. */
/** The --json line; `audited` (for --target all) lists each target run and the folder it ran on. */
export function jsonLine(findings: Finding[], audited?: Array<{ target: Target; dir: string }>): string {
  return JSON.stringify(audited ? { leak: findings.length > 0, findings, audited } : { leak: findings.length > 0, findings });
}
