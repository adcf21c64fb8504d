// Issue a completion record (the end page). Verification is in verify.ts (`leakproof verify`).
//
// What a self-paced record can prove, and what it cannot (said the same way on the end page and
// by the CLI): the seal is a hash anyone with the course's code can recompute, so it shows that
// the file was not edited by hand after it was issued and which version of each chapter's checks
// it was issued against. It does not prove who did the work or that the checks really ran: a
// learner with the code can make a record that verifies. A workshop room's signed export
// (room-export.ts) binds a record to the service that saw the results and to when they arrived,
// but that service does not run the checks either: only watching them run proves they ran.
import { canonicalJson, sha256 } from './canonical.ts';
import { RECORD_FORMAT } from './format.ts';
import type { CompletionRecord, CourseManifest, PassedChapter } from './schema.ts';

/** The course hash: over every chapter's id and checks hash, in course order. */
export function courseHash(chapters: ReadonlyArray<{ id: string; checksHash: string | null }>): Promise<string> {
  return sha256(canonicalJson(chapters.map((c) => ({ id: c.id, checksHash: c.checksHash }))));
}

export function sealOf(record: Omit<CompletionRecord, 'seal'> & { seal?: string }): Promise<string> {
  const { seal: _ignored, ...content } = record;
  return sha256(canonicalJson(content));
}

export async function issueRecord(input: {
  course: CourseManifest;
  chapters: PassedChapter[];
  learner?: string;
  now?: Date;
}): Promise<CompletionRecord> {
  const learner = input.learner?.trim() || undefined;
  const content = {
    format: RECORD_FORMAT,
    course: { name: input.course.name, version: input.course.version, hash: input.course.hash },
    ...(learner ? { learner } : {}),
    issuedAt: (input.now ?? new Date()).toISOString(),
    chapters: input.chapters.map((c) => ({ id: c.id, title: c.title, passedAt: c.passedAt, engine: c.engine, checksHash: c.checksHash })),
  } satisfies Omit<CompletionRecord, 'seal'>;
  return { ...content, seal: await sealOf(content) };
}
