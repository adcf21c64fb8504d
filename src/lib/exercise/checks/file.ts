// `file`: a file exists (or not), matches / does not match patterns, holds no form of the key.
import type { CheckSpec } from '../define.ts';
import { leakCore } from '../leak.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';
import { formWords, toEvidence } from './evidence.ts';

type Spec = Extract<CheckSpec, { kind: 'file' }>;

function regex(source: string, checkId: string): RegExp {
  try {
    return new RegExp(source, 'm');
  } catch (e) {
    throw new Error(`Check "${checkId}": the pattern ${JSON.stringify(source)} is not a valid regular expression (${(e as Error).message}).`);
  }
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

export async function fileCheck(spec: Spec, ctx: CheckRunContext): Promise<CheckOutcome> {
  const wantExists = spec.exists ?? true;
  const stat = await ctx.engine.fs.stat(spec.path).catch(() => null);
  const exists = stat !== null && stat.kind === 'file';
  if (!wantExists) {
    return exists
      ? { status: 'fail', message: `\`${spec.path}\` should not be there any more, but it is.`, evidence: [{ file: spec.path }] }
      : { status: 'pass', message: `\`${spec.path}\` is gone.` };
  }
  if (!exists) return { status: 'fail', message: `\`${spec.path}\` is missing: create it.` };
  const bytes = await ctx.engine.fs.readFile(spec.path);
  const text = new TextDecoder().decode(bytes);
  for (const source of spec.matches ?? []) {
    if (!regex(source, spec.id).test(text)) {
      return { status: 'fail', message: `\`${spec.path}\` does not contain what it should yet: the hint says what to add.`, evidence: [{ file: spec.path }] };
    }
  }
  for (const source of spec.notMatches ?? []) {
    const m = regex(source, spec.id).exec(text);
    if (m) {
      return {
        status: 'fail',
        message: `\`${spec.path}\` line ${lineOf(text, m.index)} still has something it should not: the hint says what to change.`,
        evidence: [{ file: spec.path, line: lineOf(text, m.index) }],
      };
    }
  }
  if (spec.withoutKey) {
    const { findKeyInBytes } = await leakCore();
    const findings = await findKeyInBytes(ctx.key, bytes, { file: spec.path, target: 'source', decompress: ctx.decompress });
    if (findings.length > 0) {
      const f = findings[0]!;
      return {
        status: 'fail',
        message: `\`${spec.path}\` contains the key (${formWords(f.form)})${f.line ? ` on line ${f.line}` : ''}. It must not.`,
        evidence: findings.slice(0, 20).map(toEvidence),
      };
    }
  }
  return { status: 'pass', message: `\`${spec.path}\` looks right.` };
}
