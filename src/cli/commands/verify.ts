// `leakproof verify <record.json> [--lessons <dir>] [--json]`: checks a learner's completion record
// against this course folder (the course it should come from). Exit 0: valid, 1: does not verify,
// 2: wrong usage or unreadable file.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { RECORD_LIMITS, verifyRecord } from '../../lib/record/index.ts';
import { courseManifest } from '../../node/course-manifest.ts';
import { lessonsDir } from '../../node/load-exercise.ts';

export const usage = `Usage: leakproof verify <record.json> [--lessons <dir>] [--json]

Checks a completion record (the JSON the course's end page gives a learner) against this course:
its seal (the file was not edited after it was issued), the course version, and for each chapter
that the checks it was passed against are this course's checks.

  --lessons <dir>  the course folder (default: $LEAKPROOF_LESSONS_DIR or ./lessons)
  --json           print {"valid", "problems", "confirmed"} as the last line of stdout

What it cannot prove: ${RECORD_LIMITS}

Exit status: 0 valid, 1 does not verify, 2 wrong usage or unreadable file.`;

export async function run(args: string[]): Promise<number> {
  let values: { lessons?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: { lessons: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    console.error(`leakproof verify: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`leakproof verify: ${positionals.length ? 'give one record file' : 'missing the record file'}.\n\n${usage}`);
    return 2;
  }
  const file = positionals[0]!;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err instanceof SyntaxError ? `not JSON (${err.message})` : err.message;
    console.error(`leakproof verify: cannot read ${file}: ${why}. Pass the .json file the course's end page saved.`);
    return 2;
  }
  let course;
  try {
    course = await courseManifest(values.lessons ?? lessonsDir());
  } catch (e) {
    console.error(`leakproof verify: ${(e as Error).message}`);
    return 2;
  }
  const verdict = await verifyRecord(json, course);
  if (values.json) {
    console.log(JSON.stringify({ valid: verdict.valid, problems: verdict.problems, confirmed: verdict.confirmed }));
    return verdict.valid ? 0 : 1;
  }
  const r = verdict.record;
  if (r) console.log(`Completion record${r.learner ? ` of ${r.learner}` : ''}, issued ${r.issuedAt}, ${r.chapters.length} chapter(s) passed.`);
  for (const line of verdict.confirmed) console.log(`  ok   ${line}`);
  for (const line of verdict.problems) console.log(`  FAIL ${line}`);
  console.log(verdict.valid ? '\nThe record verifies against this course.' : '\nThe record does NOT verify.');
  console.log(`\nWhat this cannot prove: ${RECORD_LIMITS}`);
  return verdict.valid ? 0 : 1;
}
