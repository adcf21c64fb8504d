// Verify a completion record against the course it claims to come from (`leakproof verify`).
import { completionRecordSchema, type CompletionRecord, type CourseManifest } from './schema.ts';
import { sealOf } from './issue.ts';

export interface Verdict {
  /** True when nothing below is a problem. */
  valid: boolean;
  /** Why the record does not verify, each with what to do. */
  problems: string[];
  /** What did verify, one line each. */
  confirmed: string[];
  record: CompletionRecord | null;
}

/** Check a parsed JSON value against the course it claims to come from. */
export async function verifyRecord(json: unknown, course: CourseManifest): Promise<Verdict> {
  const problems: string[] = [];
  const confirmed: string[] = [];
  const parsed = completionRecordSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(the file)'}: ${i.message}`);
    return { valid: false, problems: [`This is not a valid completion record:\n  ${lines.join('\n  ')}`], confirmed, record: null };
  }
  const record = parsed.data;
  if ((await sealOf(record)) !== record.seal) {
    problems.push('The seal does not match the content: the record was changed after it was issued. Ask the learner for the file the course gave them.');
  } else confirmed.push('The seal matches: the file is as the course issued it.');

  if (record.course.name !== course.name) problems.push(`The record is for the course "${record.course.name}", not "${course.name}". Verify it against the course it came from.`);
  if (record.course.hash === course.hash) confirmed.push(`Issued by this course (version ${course.version}, checks ${course.hash.slice(7, 19)}…).`);
  else if (record.course.version !== course.version) confirmed.push(`Issued by course version ${record.course.version}; this is ${course.version}: chapters are compared one by one below.`);

  const issued = Date.parse(record.issuedAt);
  const seen = new Set<string>();
  for (const c of record.chapters) {
    if (seen.has(c.id)) {
      problems.push(`Chapter ${c.id} is listed twice.`);
      continue;
    }
    seen.add(c.id);
    const known = course.chapters.find((k) => k.id === c.id);
    if (!known) problems.push(`Chapter ${c.id} is not in this course. Verify against the course (and version) the record came from.`);
    else if (!known.checksHash) problems.push(`Chapter ${c.id} has no exercise in this course, so it cannot have been passed.`);
    else if (known.checksHash !== c.checksHash) problems.push(`Chapter ${c.id}'s checks are not the ones this course has (the chapter changed since, or the record was made by another course). Have the learner pass it again.`);
    else confirmed.push(`${c.id} passed ${c.passedAt} on the ${c.engine} engine, against this course's checks.`);
    if (Date.parse(c.passedAt) > issued) problems.push(`Chapter ${c.id} was passed after the record was issued (${c.passedAt} > ${record.issuedAt}).`);
  }
  return { valid: problems.length === 0, problems, confirmed, record };
}
