// A workshop room's completion records (the facilitator's "Export completion records"): one
// chapter-10 record per learner who passed a chapter in the room, each signed with the room's
// Ed25519 key, which only the workshop service holds. The records themselves are unchanged
// chapter-10 records (seal and all), so each also verifies on its own; the signature is what binds
// one to the service. What such a record can claim: WORKSHOP_RECORD_LIMITS.
// Pure: Ed25519 through Web Crypto (Node >= 22, current browsers); signing is on the service
// (src/workshop/records.ts, node:crypto).
import { z } from 'zod';
import { canonicalJson } from './canonical.ts';
import { ROOM_EXPORT_FORMAT } from './format.ts';
import type { CourseManifest } from './schema.ts';
import { verifyRecord, type Verdict } from './verify.ts';

/** `ed25519:` and the raw 32-byte public key in base64url (the JWK "x"). */
export const signingKeySchema = z.string().regex(/^ed25519:[A-Za-z0-9_-]{43}$/, { error: 'must be "ed25519:" followed by 43 base64url characters.' });

export const roomExportSchema = z.strictObject({
  format: z.literal(ROOM_EXPORT_FORMAT, { error: `must be "${ROOM_EXPORT_FORMAT}".` }),
  /** The room's join code. */
  room: z.string().min(1),
  exportedAt: z.iso.datetime({ error: 'must be an ISO date and time.' }),
  /** The room's public key: it proves something only if it is the key the facilitator published. */
  signingKey: signingKeySchema,
  /** WORKSHOP_RECORD_LIMITS, for whoever reads the file. */
  limits: z.string(),
  records: z.array(
    z.strictObject({
      /** A chapter-10 completion record, checked by verifyRecord (one bad record does not hide the others). */
      record: z.unknown(),
      /** Ed25519 over signedText(room, record), base64url. */
      signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, { error: 'must be an Ed25519 signature in base64url (86 characters).' }),
    }),
  ),
});
export type RoomExport = z.infer<typeof roomExportSchema>;

/** What the room's key signs: the record and the room it was issued in. */
export function signedText(room: string, record: unknown): string {
  return canonicalJson({ format: ROOM_EXPORT_FORMAT, room, record });
}

export const isRoomExport = (json: unknown): boolean => (json as { format?: unknown } | null)?.format === ROOM_EXPORT_FORMAT;

export interface RoomVerdict {
  /** True when every record verifies and is signed by the room's key (and that key is the one given, if one was). */
  valid: boolean;
  /** About the file as a whole. */
  problems: string[];
  confirmed: string[];
  /** What the verifier still has to check by other means. */
  notes: string[];
  room: string | null;
  /** One per learner, in the file's order. */
  records: Array<Verdict & { learner: string | null }>;
}

function base64url(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Accepts the key with or without its "ed25519:" prefix. */
export const normalizeKey = (key: string): string => (key.trim().startsWith('ed25519:') ? key.trim() : `ed25519:${key.trim()}`);

/** Checks every record of a room export against the course, and its signature against the room's key. */
export async function verifyRoomExport(json: unknown, course: CourseManifest, options: { key?: string } = {}): Promise<RoomVerdict> {
  const verdict: RoomVerdict = { valid: false, problems: [], confirmed: [], notes: [], room: null, records: [] };
  const parsed = roomExportSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(the file)'}: ${i.message}`);
    verdict.problems.push(`This is not a valid workshop export:\n  ${lines.join('\n  ')}`);
    return verdict;
  }
  const file = parsed.data;
  verdict.room = file.room;
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('Web Crypto is not available here: Ed25519 signatures cannot be checked.');
  const key = await subtle.importKey('raw', base64url(file.signingKey.slice('ed25519:'.length)), { name: 'Ed25519' }, false, ['verify']);

  if (options.key === undefined)
    verdict.notes.push(
      `Signatures are checked against the key written in the file (${file.signingKey}). Anyone can make a key: ` +
        `the records come from the workshop service only if this is the key the facilitator published for room ${file.room} (check it with --key).`,
    );
  else if (normalizeKey(options.key) !== file.signingKey)
    verdict.problems.push(`The file is signed with ${file.signingKey}, not with the key you gave (${normalizeKey(options.key)}): it was not issued by that room's service.`);
  else verdict.confirmed.push(`Signed with the key you gave for room ${file.room}.`);
  if (!file.records.length) verdict.notes.push('The export holds no record: no learner passed a chapter in this room.');

  for (const entry of file.records) {
    const v = await verifyRecord(entry.record, course);
    const learner = v.record ? (v.record.learner ?? null) : null;
    const ok = await subtle.verify({ name: 'Ed25519' }, key, base64url(entry.signature), new TextEncoder().encode(signedText(file.room, entry.record)));
    if (ok) v.confirmed.push(`Signed by room ${file.room}'s key: the record is as the workshop service issued it.`);
    else v.problems.push(`The room's signature does not match this record: it was changed after the service issued it, or it comes from another room.`);
    verdict.records.push({ ...v, valid: v.valid && ok, learner });
  }
  verdict.valid = verdict.problems.length === 0 && verdict.records.every((r) => r.valid);
  return verdict;
}
