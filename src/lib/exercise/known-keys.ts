// Look for several known keys at once (a rotation's old and new key, an admin key) in what programs
// printed and in the project's files: for checks whose keys are made during the check, not planted.
import type { ReadonlyFs } from '../fs/types.ts';
import { leakCore } from './leak.ts';
import type { Evidence } from './results.ts';
import { formWords, toEvidence } from './checks/evidence.ts';
import { wholeProjectFs } from './checks/project-files.ts';

export interface KnownKey {
  /** How the message names it: "the admin key", "the new key sk-svcacct-...abcd". */
  label: string;
  value: string;
}

export type KeyVerdict = { status: 'pass' | 'fail'; message: string; evidence?: Evidence[] };

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Fails on the first key found, in any form, in any of the outputs. */
export async function keysInOutputs(outputs: Array<{ where: string; text: string }>, keys: KnownKey[], passMessage: string): Promise<KeyVerdict> {
  const { findKeyInBytes } = await leakCore();
  const enc = new TextEncoder();
  for (const o of outputs) {
    const bytes = enc.encode(o.text);
    for (const k of keys) {
      const found = await findKeyInBytes(k.value, bytes, { file: o.where, target: 'source' });
      if (found.length) return { status: 'fail', message: `${capital(k.label)} is in ${o.where} (${formWords(found[0]!.form)}).`, evidence: found.slice(0, 5).map(toEvidence) };
    }
  }
  return { status: 'pass', message: passMessage };
}

/** Every project file, git-ignored ones too, except the keys' ignored homes (as `no-key-in` source). */
export async function keysInProject(fs: ReadonlyFs, keys: KnownKey[], keyHomes: string[] | undefined, passMessage: string): Promise<KeyVerdict> {
  const { auditKey } = await leakCore();
  const view = await wholeProjectFs(fs, keyHomes);
  for (const k of keys) {
    const report = await auditKey({ key: k.value, target: 'source', fs: view.fs, dir: '' });
    if (!report.leak) continue;
    const f = report.findings[0]!;
    const where = (await view.ignored(f.file)) ? 'a file git ignores but that ships with the project' : 'a file git would commit';
    return { status: 'fail', message: `${capital(k.label)} is in ${f.file}${f.line ? ` line ${f.line}` : ''}, ${where} (${formWords(f.form)}).`, evidence: report.findings.slice(0, 5).map(toEvidence) };
  }
  return { status: 'pass', message: passMessage };
}
