// The room's completion records (facilitator: "Export completion records"): for each learner who
// passed at least one chapter in the room, a chapter-10 record of the chapters the room saw them
// pass, signed with the room's Ed25519 key (store.roomSigningKey). What such a record can claim
// is WORKSHOP_RECORD_LIMITS: the service saw check results the learner's page reported; it did
// not run the checks.
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { issueRecord, signedText, ROOM_EXPORT_FORMAT, WORKSHOP_RECORD_LIMITS, type CourseManifest, type PassedChapter, type RoomExport } from '../lib/record/index.ts';
import type { LearnerRecord, RoomEvent } from '../lib/schemas/workshop.ts';

/** `ed25519:<base64url raw public key>` of a PKCS#8 PEM private key: what the facilitator publishes. */
export function publicKeyOf(privateKeyPem: string): string {
  const jwk = createPublicKey(createPrivateKey(privateKeyPem)).export({ format: 'jwk' });
  return `ed25519:${jwk.x}`;
}

/**
 * The chapters a learner passed in the room: for each chapter of the course that has checks, the
 * last passing check run (passedAt = when it reached the service, engine as the page reported it,
 * checks hash as the page reported it, else this course's). Chapters the course does not know are
 * left out: the record could not name their checks.
 */
export function passedChapters(events: RoomEvent[], course: CourseManifest): PassedChapter[] {
  const last = new Map<string, RoomEvent>();
  for (const e of events) if (e.event.kind === 'check' && e.event.passed) last.set(e.event.chapter, e);
  return course.chapters.flatMap((c) => {
    const e = last.get(c.id);
    if (!e || e.event.kind !== 'check' || !c.checksHash) return [];
    return [{ id: c.id, title: c.title, passedAt: new Date(e.at).toISOString(), engine: e.event.engine, checksHash: e.event.checksHash ?? c.checksHash }];
  });
}

export async function roomExport(input: {
  code: string;
  learners: LearnerRecord[];
  /** The room's events in id order. */
  events: RoomEvent[];
  course: CourseManifest;
  privateKeyPem: string;
  now?: Date;
}): Promise<RoomExport> {
  const now = input.now ?? new Date();
  const key = createPrivateKey(input.privateKeyPem);
  const byLearner = new Map<number, RoomEvent[]>();
  for (const e of input.events) {
    const list = byLearner.get(e.learnerId);
    if (list) list.push(e);
    else byLearner.set(e.learnerId, [e]);
  }
  const records: RoomExport['records'] = [];
  for (const l of input.learners) {
    const chapters = passedChapters(byLearner.get(l.id) ?? [], input.course);
    if (!chapters.length) continue;
    const record = await issueRecord({ course: input.course, chapters, learner: l.name, now });
    const signature = sign(null, Buffer.from(signedText(input.code, record)), key).toString('base64url');
    records.push({ record, signature });
  }
  return {
    format: ROOM_EXPORT_FORMAT,
    room: input.code,
    exportedAt: now.toISOString(),
    signingKey: publicKeyOf(input.privateKeyPem),
    limits: WORKSHOP_RECORD_LIMITS,
    records,
  };
}
