// What crosses the wire between the course page, the workshop service and the facilitator page.
// Pure zod, shared by the service (validates every input) and the page (builds what it sends).
// Strict objects: an event carrying anything more (files, output, a key) is refused, not trimmed.
import { z } from 'zod';

/** A short join code: 6 letters/digits without look-alikes (0/O, 1/I/L). */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const joinCodeSchema = z
  .string({ error: 'code: send the room code the facilitator shows, e.g. "K7QX3M".' })
  .trim()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[A-HJ-KM-NP-Z2-9]{6}$/, { error: 'code: a room code is 6 letters and digits, e.g. "K7QX3M". Check it with your facilitator.' }));

export const displayNameSchema = z
  .string({ error: 'name: send a display name, e.g. "Ada".' })
  .trim()
  .min(1, { error: 'name: a display name cannot be empty.' })
  .max(40, { error: 'name: keep the display name to 40 characters.' })
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { error: 'name: a display name cannot contain control characters.' });

export const joinRequestSchema = z.strictObject(
  { code: joinCodeSchema, name: displayNameSchema },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `only "code" and "name" are accepted (got ${iss.keys.join(', ')}).` : 'send JSON {"code": "...", "name": "..."}.') },
);

/** Chapter ids are the lesson folder names (`02-env-files`). */
export const chapterIdSchema = z
  .string({ error: 'chapter: send the chapter id, e.g. "01-habits".' })
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'chapter: a chapter id is lower-case letters, digits and dashes, e.g. "01-habits".' });

export const checkIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'checks[].id: a check id is letters, digits, ".", "_" or "-" (at most 64).' });
export const checkStatusSchema = z.enum(['pass', 'fail', 'skipped', 'error'], { error: 'checks[].status: one of pass, fail, skipped, error.' });
export const engineSchema = z.enum(['local', 'webcontainer', 'in-browser'], { error: 'engine: one of local, webcontainer, in-browser.' });

const strictError = (what: string) => (iss: { code: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys' ? `${what} accepts no field "${iss.keys!.join('", "')}": check results only, never files, keys or output.` : undefined;

export const checkEventSchema = z.strictObject(
  {
    kind: z.literal('check'),
    chapter: chapterIdSchema,
    passed: z.boolean({ error: 'passed: true or false.' }),
    engine: engineSchema,
    durationMs: z.number({ error: 'durationMs: the time the check took, in milliseconds.' }).int().min(0).max(3_600_000),
    checks: z
      .array(z.strictObject({ id: checkIdSchema, status: checkStatusSchema }, { error: strictError('a check') }))
      .min(1, { error: 'checks: at least one check result.' })
      .max(50, { error: 'checks: at most 50 check results.' }),
    /** Which version of the chapter's checks ran (the chapter page's public hash): goes into the room's completion records. */
    checksHash: z.string().regex(/^sha256-[0-9a-f]{64}$/, { error: 'checksHash: "sha256-" followed by 64 hex digits.' }).optional(),
  },
  { error: strictError('a check event') },
);

export const openEventSchema = z.strictObject({ kind: z.literal('open'), chapter: chapterIdSchema }, { error: strictError('an open event') });

export const learnerEventSchema = z.discriminatedUnion('kind', [checkEventSchema, openEventSchema], {
  error: 'send {"kind": "check", …} or {"kind": "open", "chapter": …}.',
});
export type LearnerEvent = z.infer<typeof learnerEventSchema>;
export type CheckEvent = z.infer<typeof checkEventSchema>;

export const messageRequestSchema = z.strictObject({
  text: z
    .string({ error: 'text: send the message as text.' })
    .trim()
    .min(1, { error: 'text: the message is empty.' })
    .max(200, { error: 'text: one line of at most 200 characters.' })
    .refine((s) => !/[\r\n]/.test(s), { error: 'text: one line only (no line breaks).' }),
});

export const releaseRequestSchema = z.strictObject({ chapter: chapterIdSchema });

/** Learner id / event id in a URL: positive integers only. */
export const idParamSchema = z.coerce.number({ error: 'an id is a whole number.' }).int({ error: 'an id is a whole number.' }).positive({ error: 'an id is a positive whole number.' });
/** `after=<event id>` when a live stream resumes. */
export const afterIdSchema = z.coerce.number({ error: 'after: the last event id you have, a whole number.' }).int({ error: 'after: a whole number.' }).min(0, { error: 'after: 0 or more.' });

/** One stored event as the facilitator's view receives it (learner names come apart, in `learner` records). */
export interface RoomEvent {
  id: number;
  learnerId: number;
  at: number;
  event: LearnerEvent;
}

export interface LearnerRecord {
  id: number;
  name: string;
  joinedAt: number;
  leftAt: number | null;
}

export interface RoomSnapshot {
  room: { code: string; createdAt: number };
  learners: LearnerRecord[];
  events: RoomEvent[];
  released: string[];
  messages: Array<{ id: number; text: string; at: number }>;
}

/** What a learner may see of the room: nothing about other learners. */
export interface LearnerView {
  room: { code: string };
  you: { id: number; name: string };
  released: string[];
  messages: Array<{ id: number; text: string; at: number }>;
}

/** Readable list of zod issues for an error response: "checks.0.status: one of pass, fail, …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.join('.');
      return path && !i.message.startsWith(`${String(i.path[i.path.length - 1])}:`) && !i.message.includes(':') ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
