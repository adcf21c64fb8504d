// Findings of the leak core → evidence and a sentence a beginner understands.
import type { Finding, Target } from '../../leak/types.ts';
import type { Evidence } from '../results.ts';

const WHERE: Record<Target, string> = {
  source: 'in a file git would commit',
  bundle: 'in the build output (what every visitor\'s browser downloads)',
  git: 'in the git history (every clone of the repository has it)',
  docker: 'in the Docker build files or build context',
  image: 'in the built container image',
};

export function whereWords(target: Target): string {
  return WHERE[target];
}

export function toEvidence(f: Finding): Evidence {
  const e: Evidence = { file: f.file, form: f.form, excerpt: f.excerpt };
  if (f.line) e.line = f.line;
  if (f.column) e.column = f.column;
  if (f.commit) e.commit = f.commit;
  if (f.layer) e.layer = f.layer;
  return e;
}

/** "src/app.js line 3" */
export function place(f: Pick<Finding, 'file' | 'line' | 'commit' | 'layer'>): string {
  let s = f.file || '(unnamed)';
  if (f.line) s += ` line ${f.line}`;
  if (f.commit) s += ` (commit ${f.commit.slice(0, 7)})`;
  if (f.layer) s += ` (layer ${f.layer.slice(0, 19)})`;
  return s;
}

const FORM_WORDS: Record<string, string> = {
  plain: 'as is',
  base64: 'base64-encoded',
  base64url: 'base64url-encoded',
  hex: 'hex-encoded',
  reversed: 'reversed',
  fragments: 'in pieces (parts of it spread over the file or files)',
  split: 'split into parts',
};

/** 'gzip>base64' → 'base64-encoded, inside a compressed file' */
export function formWords(form: string): string {
  const parts = form.split('>');
  const last = parts[parts.length - 1] ?? form;
  let words = FORM_WORDS[last] ?? `as ${last}`;
  if (parts.length > 1) words += ', inside a compressed or embedded file';
  return words;
}

export function summarizeFindings(findings: Finding[], target: Target): string {
  const files = [...new Set(findings.map((f) => f.file))];
  const first = findings[0]!;
  const more = files.length > 1 ? ` and ${files.length - 1} more file${files.length > 2 ? 's' : ''}` : '';
  return `The key is ${whereWords(target)}: ${place(first)} (${formWords(first.form)})${more}.`;
}
