// The completion record (JSON a learner keeps) and the course manifest it is checked against.
// Types come from the zod schemas; every field says what it is for.
import { z } from 'zod';

import { RECORD_FORMAT } from './format.ts';

export { RECORD_FORMAT };

const hash = z.string().regex(/^sha256-[0-9a-f]{64}$/, { error: 'must be "sha256-" followed by 64 hex digits.' });
const isoTime = z.iso.datetime({ error: 'must be an ISO date and time such as 2026-12-03T10:00:00.000Z.' });

/** One chapter of the course as the verifier and the end page know it. */
export const manifestChapterSchema = z.strictObject({
  /** Folder name, e.g. "01-habits". */
  id: z.string().min(1),
  title: z.string(),
  /** Hash of the chapter's check files (exercise/*.ts); null for a chapter without an exercise. */
  checksHash: hash.nullable(),
});

/** The published course: what the end page embeds and what `leakproof verify` recomputes. */
export const courseManifestSchema = z.strictObject({
  name: z.string(),
  /** package.json "version" of the course. */
  version: z.string(),
  /** Hash over every chapter's id and checksHash: changes when any chapter's checks change. */
  hash,
  chapters: z.array(manifestChapterSchema),
});

/** A chapter the learner passed. */
export const passedChapterSchema = z.strictObject({
  id: z.string().min(1, { error: 'needs the chapter id, e.g. "01-habits".' }),
  title: z.string(),
  /** When the last passing check ran (the learner's clock). */
  passedAt: isoTime,
  /** Where the checks ran: "local" runs every check; "in-browser" cannot run runtime checks. */
  engine: z.enum(['local', 'webcontainer', 'in-browser'], { error: 'must be "local", "webcontainer" or "in-browser".' }),
  /** checksHash of the chapter's checks the learner passed (from the chapter page at that time). */
  checksHash: hash,
});

export const completionRecordSchema = z.strictObject({
  format: z.literal(RECORD_FORMAT, { error: `must be "${RECORD_FORMAT}": this file is not a Leakproof completion record.` }),
  course: z.strictObject({ name: z.string(), version: z.string(), hash }),
  /** Optional: the name the learner typed on the end page. Nothing proves it. */
  learner: z.string().max(200).optional(),
  issuedAt: isoTime,
  chapters: z.array(passedChapterSchema),
  /** sha256 of the canonical JSON of every other field: shows edits made after the record was issued. */
  seal: hash,
});

export type CourseManifest = z.infer<typeof courseManifestSchema>;
export type ManifestChapter = z.infer<typeof manifestChapterSchema>;
export type PassedChapter = z.infer<typeof passedChapterSchema>;
export type CompletionRecord = z.infer<typeof completionRecordSchema>;
