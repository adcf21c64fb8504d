// `leakproof verify <record.json> [--lessons <dir>] [--key <key>] [--json]`: checks a learner's
// completion record, or a workshop room's export of them (every record and its room signature),
// against this course folder (the course it should come from). Exit 0: valid (every record of an
// export), 1: does not verify, 2: wrong usage or unreadable file.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isRoomExport, RECORD_LIMITS, signingKeySchema, normalizeKey, verifyRecord, verifyRoomExport, WORKSHOP_RECORD_LIMITS } from '../../lib/record/index.ts';
import { courseManifest } from '../../node/course-manifest.ts';
import { lessonsDir } from '../../node/load-exercise.ts';

export const usage = `Usage: leakproof verify <record.json> [--lessons <dir>] [--key ed25519:…] [--json]

Checks a completion record (the JSON the course's end page gives a learner) against this course:
its seal (the file was not edited after it was issued), the course version, and for each chapter
that the checks it was passed against are this course's checks.

Also takes a workshop room's export (leakproof-records-<CODE>.json, from the facilitator page's
"Export completion records"): checks every learner's record as above and the room's signature on
each, and reports per learner.

  --lessons <dir>  the course folder (default: $LEAKPROOF_LESSONS_DIR or ./lessons)
  --key <key>      a room export must be signed with this key (the "records key" that
                   \`leakproof workshop\` printed for the room); without it, the key in the file is used
  --json           print {"valid", "problems", "confirmed"} as the last line of stdout
                   (for an export, also "notes" and "records": one such object per learner)

What it cannot prove: ${RECORD_LIMITS}
For a workshop export: ${WORKSHOP_RECORD_LIMITS}

Exit status: 0 valid (for an export: every record), 1 does not verify, 2 wrong usage or unreadable file.`;

export async function run(args: string[]): Promise<number> {
  let values: { lessons?: string; key?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: { lessons: { type: 'string' }, key: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
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
  if (values.key !== undefined && !signingKeySchema.safeParse(normalizeKey(values.key)).success) {
    console.error(`leakproof verify: --key must be the records key \`leakproof workshop\` printed, "ed25519:" and 43 base64url characters (got "${values.key}").`);
    return 2;
  }
  let course;
  try {
    course = await courseManifest(values.lessons ?? lessonsDir());
  } catch (e) {
    console.error(`leakproof verify: ${(e as Error).message}`);
    return 2;
  }
  if (isRoomExport(json)) return printRoomVerdict(await verifyRoomExport(json, course, { key: values.key }), values.json === true);
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

function printRoomVerdict(v: Awaited<ReturnType<typeof verifyRoomExport>>, json: boolean): number {
  if (json) {
    const records = v.records.map((r) => ({ learner: r.learner, valid: r.valid, problems: r.problems, confirmed: r.confirmed }));
    console.log(JSON.stringify({ valid: v.valid, problems: v.problems, confirmed: v.confirmed, notes: v.notes, records }));
    return v.valid ? 0 : 1;
  }
  console.log(`Workshop export${v.room ? ` of room ${v.room}` : ''}: ${v.records.length} completion record(s).`);
  for (const line of v.confirmed) console.log(`  ok   ${line}`);
  for (const line of v.problems) console.log(`  FAIL ${line}`);
  for (const line of v.notes) console.log(`  note ${line}`);
  v.records.forEach((r, i) => {
    const chapters = r.record ? `, ${r.record.chapters.length} chapter(s) passed` : '';
    console.log(`\n${i + 1}. ${r.learner ?? '(no name)'}${chapters}: ${r.valid ? 'verifies' : 'does NOT verify'}`);
    for (const line of r.confirmed) console.log(`  ok   ${line}`);
    for (const line of r.problems) console.log(`  FAIL ${line}`);
  });
  const bad = v.records.filter((r) => !r.valid).length;
  console.log(
    v.valid
      ? `\nEvery record of the export verifies against this course.`
      : `\nThe export does NOT verify${bad ? ` (${bad} of ${v.records.length} record(s) fail)` : ''}.`,
  );
  console.log(`\nWhat this cannot prove: ${WORKSHOP_RECORD_LIMITS}`);
  return v.valid ? 0 : 1;
}
