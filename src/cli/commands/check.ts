// `leakproof check <chapter> <dir> --key-file <file> [--json]`: the same checks as the page, on any
// folder, with the local engine. The checks run on a COPY of <dir> in a private temporary folder:
// builds, installs and servers never touch your folder, and node_modules is not copied (the
// engine links dependencies from its cache by the project's package-lock.json).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CheckReport, CheckResult } from '../../lib/exercise/results.ts';
import { formWords } from '../../lib/exercise/checks/evidence.ts';
import { ChapterNotFoundError, loadExercise } from '../../node/load-exercise.ts';
import { readTextTree } from '../../node/read-tree.ts';
import { NodeEngine } from '../../engines/local/node-engine.ts';
import { runLocalChecks } from '../../engines/local/run-local.ts';

export const usage = `Usage: leakproof check <chapter> <dir> --key-file <file> [--json]

Runs a chapter's checks on a project folder (a copy of it: your folder is not changed).

  <chapter>          the chapter's folder name ("03-backend-proxy") or its number ("3")
  <dir>              the project folder (e.g. from "leakproof new" or the page's Download)
  --key-file <file>  the file holding the planted key ("leakproof new" prints its path)
  --json             print the result as one JSON object on the last line of output

Exit code: 0 every required check passed, 1 a check did not pass, 2 usage or input error.`;

const ICON: Record<CheckResult['status'], string> = { pass: 'PASS', fail: 'FAIL', skipped: 'SKIP', error: 'ERROR' };

function printHuman(report: CheckReport): void {
  for (const c of report.checks) {
    console.log(`${ICON[c.status].padEnd(5)} ${c.title}${c.required === false ? ' (optional)' : ''}`);
    if (c.status !== 'pass') {
      for (const line of c.message.split('\n')) console.log(`      ${line}`);
      for (const e of c.evidence ?? []) console.log(`      at ${e.file ?? '?'}${e.line ? `, line ${e.line}` : ''}${e.form ? ` (the key ${formWords(e.form)})` : ''}`);
      if (c.hint) console.log(`      Hint: ${c.hint}`);
    }
  }
  const failed = report.checks.filter((c) => c.required !== false && c.status !== 'pass').length;
  console.log(report.passed ? '\nAll required checks passed.' : `\n${failed} required check${failed === 1 ? '' : 's'} did not pass.`);
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  const json = args.includes('--json');
  const positional: string[] = [];
  let keyFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') continue;
    if (a === '--key-file') keyFile = args[++i];
    else if (a.startsWith('--key-file=')) keyFile = a.slice('--key-file='.length);
    else if (a.startsWith('-')) return fail(`unknown option ${a}.`);
    else positional.push(a);
  }
  if (positional.length !== 2) return fail('expected a chapter and a folder.');
  if (!keyFile) return fail('missing --key-file <file> (the file "leakproof new" printed).');
  const [chapterArg, dirArg] = positional as [string, string];
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return fail(`the folder ${dir} does not exist.`, false);
  let key: string;
  try {
    key = readFileSync(keyFile, 'utf8').trim();
  } catch (e) {
    return fail(`cannot read the key file ${keyFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Use the path "leakproof new" printed.`, false);
  }
  if (!/^sk-[A-Za-z0-9_-]{20,}$/.test(key)) return fail(`${keyFile} does not hold a key (expected one line starting with "sk-"). Use the path "leakproof new" printed.`, false);

  let ex;
  try {
    ex = await loadExercise(chapterArg);
  } catch (e) {
    if (e instanceof ChapterNotFoundError) return fail(e.message, false);
    throw e;
  }
  const engine = await NodeEngine.create();
  const stop = () => void engine.dispose().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  try {
    const files = await readTextTree(dir);
    const report = await runLocalChecks({
      def: ex.def,
      engine,
      key,
      files,
      dir,
      onProgress: (p) => process.stderr.write(`[${Math.round(p.value * 100)}%] ${p.text}\n`),
    });
    if (json) console.log(JSON.stringify({ passed: report.passed, engine: report.engine, checks: report.checks }));
    else printHuman(report);
    return report.passed ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
    await engine.dispose();
  }

  function fail(message: string, showUsage = true): number {
    console.error(`leakproof check: ${message}${showUsage ? `\n\n${usage}` : ''}`);
    return 2;
  }
}
