// Rooms, learners and their events in the database. Secrets: the facilitator secret is kept so a
// restarted service can print the same link (protect the database like the link itself); learner
// tokens are kept only as SHA-256 hashes.
import { createHash, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { JOIN_CODE_ALPHABET, learnerEventSchema, type LearnerEvent, type LearnerRecord, type RoomEvent } from '../lib/schemas/workshop.ts';
import type { Db } from './db/index.ts';

export interface RoomLimits {
  maxLearners: number;
  maxEventsPerMinute: number;
}

export const DEFAULT_LIMITS: RoomLimits = { maxLearners: 500, maxEventsPerMinute: 6000 };

export interface Room extends RoomLimits {
  id: number;
  code: string;
  facilitatorSecret: string;
  createdAt: number;
}

interface RoomRow {
  id: number;
  code: string;
  facilitator_secret: string;
  created_at: number;
  max_learners: number;
  max_events_per_minute: number;
}

const ROOM_COLUMNS = 'id, code, facilitator_secret, created_at, max_learners, max_events_per_minute';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(24).toString('base64url');

function toRoom(r: RoomRow): Room {
  return {
    id: Number(r.id),
    code: r.code,
    facilitatorSecret: r.facilitator_secret,
    createdAt: Number(r.created_at),
    maxLearners: Number(r.max_learners),
    maxEventsPerMinute: Number(r.max_events_per_minute),
  };
}

function newCode(): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return s;
}

export async function createRoom(db: Db, limits: RoomLimits = DEFAULT_LIMITS): Promise<Room> {
  for (let tries = 0; ; tries++) {
    const code = newCode();
    const secret = token();
    try {
      await db.run(
        'INSERT INTO rooms (code, facilitator_secret, facilitator_hash, created_at, max_learners, max_events_per_minute) VALUES (?, ?, ?, ?, ?, ?)',
        [code, secret, sha256(secret), Date.now(), limits.maxLearners, limits.maxEventsPerMinute],
      );
      return (await roomByCode(db, code))!;
    } catch (e) {
      if (tries < 5 && /unique|duplicate/i.test((e as Error).message)) continue; // code taken: draw again
      throw e;
    }
  }
}

/** The most recently created room (what `leakproof workshop` reopens after a restart). */
export async function latestRoom(db: Db): Promise<Room | null> {
  const r = await db.get<RoomRow>(`SELECT ${ROOM_COLUMNS} FROM rooms ORDER BY id DESC LIMIT 1`);
  return r ? toRoom(r) : null;
}

export async function roomByCode(db: Db, code: string): Promise<Room | null> {
  const r = await db.get<RoomRow>(`SELECT ${ROOM_COLUMNS} FROM rooms WHERE code = ?`, [code]);
  return r ? toRoom(r) : null;
}

export async function roomById(db: Db, id: number): Promise<Room | null> {
  const r = await db.get<RoomRow>(`SELECT ${ROOM_COLUMNS} FROM rooms WHERE id = ?`, [id]);
  return r ? toRoom(r) : null;
}

/** Looked up by hash, so the comparison is not a string compare of the secret itself. */
export async function roomBySecret(db: Db, secret: string): Promise<Room | null> {
  const r = await db.get<RoomRow>(`SELECT ${ROOM_COLUMNS} FROM rooms WHERE facilitator_hash = ?`, [sha256(secret)]);
  return r ? toRoom(r) : null;
}

export async function setLimits(db: Db, roomId: number, limits: RoomLimits): Promise<void> {
  await db.run('UPDATE rooms SET max_learners = ?, max_events_per_minute = ? WHERE id = ?', [limits.maxLearners, limits.maxEventsPerMinute, roomId]);
}

export interface Learner extends LearnerRecord {
  roomId: number;
}

interface LearnerRow {
  id: number;
  room_id: number;
  name: string;
  joined_at: number;
  left_at: number | null;
}

const toLearner = (r: LearnerRow): Learner => ({
  id: Number(r.id),
  roomId: Number(r.room_id),
  name: r.name,
  joinedAt: Number(r.joined_at),
  leftAt: r.left_at === null ? null : Number(r.left_at),
});

export class RoomFullError extends Error {}

/** A new learner with a fresh token (returned once, stored hashed). Every join is a new learner. */
export async function addLearner(db: Db, room: Room, name: string): Promise<{ learner: Learner; token: string }> {
  const t = token();
  return db.transaction(async (tx) => {
    const n = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM learners WHERE room_id = ? AND left_at IS NULL', [room.id]);
    if (Number(n?.n ?? 0) >= room.maxLearners) throw new RoomFullError(`This room is full (${room.maxLearners} learners). Ask your facilitator.`);
    await tx.run('INSERT INTO learners (room_id, name, token_hash, joined_at) VALUES (?, ?, ?, ?)', [room.id, name, sha256(t), Date.now()]);
    const row = await tx.get<LearnerRow>('SELECT id, room_id, name, joined_at, left_at FROM learners WHERE token_hash = ?', [sha256(t)]);
    return { learner: toLearner(row!), token: t };
  });
}

/** The learner a token belongs to, if they have not left. */
export async function learnerByToken(db: Db, t: string): Promise<Learner | null> {
  const r = await db.get<LearnerRow>('SELECT id, room_id, name, joined_at, left_at FROM learners WHERE token_hash = ? AND left_at IS NULL', [sha256(t)]);
  return r ? toLearner(r) : null;
}

export async function leave(db: Db, learner: Learner): Promise<Learner> {
  const at = Date.now();
  await db.run('UPDATE learners SET left_at = ? WHERE id = ? AND left_at IS NULL', [at, learner.id]);
  return { ...learner, leftAt: at };
}

export async function learners(db: Db, roomId: number): Promise<Learner[]> {
  return (await db.all<LearnerRow>('SELECT id, room_id, name, joined_at, left_at FROM learners WHERE room_id = ? ORDER BY id', [roomId])).map(toLearner);
}

/**
 * Stores events in one statement (one round trip, one commit). Identity values are drawn row by
 * row in the order of the VALUES list, so the ascending ids map to the events in order.
 */
export async function insertEvents(db: Db, items: Array<{ learner: Learner; event: LearnerEvent }>): Promise<RoomEvent[]> {
  if (!items.length) return [];
  const at = Date.now();
  const params = items.flatMap(({ learner, event }) => [learner.roomId, learner.id, at, event.chapter, JSON.stringify(event)]);
  // PostgreSQL: this statement's commit returns before its WAL reaches the disk (it follows within
  // ~0.6 s), as SQLite's WAL with synchronous=NORMAL does: a restart of the service or of
  // PostgreSQL loses nothing; a crash of the database machine can lose the last fraction of a
  // second of check results. Joins, releases and messages stay fully durable. set_config(…, true)
  // lasts for this statement's own transaction only: one round trip, no BEGIN/COMMIT.
  const sql =
    db.dialect === 'postgres'
      ? `INSERT INTO events (room_id, learner_id, at, chapter, body) SELECT * FROM (VALUES ${items.map(() => '(?::bigint, ?::bigint, ?::bigint, ?::text, ?::text)').join(', ')}) AS v WHERE set_config('synchronous_commit', 'off', true) IS NOT NULL RETURNING id`
      : `INSERT INTO events (room_id, learner_id, at, chapter, body) VALUES ${items.map(() => '(?, ?, ?, ?, ?)').join(', ')} RETURNING id`;
  const rows = await db.all<{ id: number }>(sql, params);
  const ids = rows.map((r) => Number(r.id)).sort((x, y) => x - y);
  return items.map(({ learner, event }, i) => ({ id: ids[i]!, learnerId: learner.id, at, event }));
}

export async function eventsAfter(db: Db, roomId: number, afterId = 0): Promise<RoomEvent[]> {
  const rows = await db.all<{ id: number; learner_id: number; at: number; body: string }>(
    'SELECT id, learner_id, at, body FROM events WHERE room_id = ? AND id > ? ORDER BY id',
    [roomId, afterId],
  );
  // Stored bodies were validated on the way in; parsed again so a hand-edited row cannot reach a page unchecked.
  return rows.flatMap((r) => {
    const parsed = learnerEventSchema.safeParse(JSON.parse(r.body));
    return parsed.success ? [{ id: Number(r.id), learnerId: Number(r.learner_id), at: Number(r.at), event: parsed.data }] : [];
  });
}

export async function learnerEventCount(db: Db, learnerId: number): Promise<number> {
  return Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events WHERE learner_id = ?', [learnerId]))?.n ?? 0);
}

export async function release(db: Db, roomId: number, chapter: string): Promise<{ chapter: string; at: number }> {
  const at = Date.now();
  await db.run('INSERT INTO releases (room_id, chapter, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [roomId, chapter, at]);
  return { chapter, at };
}

export async function releases(db: Db, roomId: number): Promise<string[]> {
  return (await db.all<{ chapter: string }>('SELECT chapter FROM releases WHERE room_id = ? ORDER BY at, chapter', [roomId])).map((r) => r.chapter);
}

export async function postMessage(db: Db, roomId: number, text: string): Promise<{ id: number; text: string; at: number }> {
  const at = Date.now();
  const row = await db.get<{ id: number }>('INSERT INTO messages (room_id, text, at) VALUES (?, ?, ?) RETURNING id', [roomId, text, at]);
  return { id: Number(row!.id), text, at };
}

export async function messages(db: Db, roomId: number, limit = 20): Promise<Array<{ id: number; text: string; at: number }>> {
  const rows = await db.all<{ id: number; text: string; at: number }>('SELECT id, text, at FROM messages WHERE room_id = ? ORDER BY id DESC LIMIT ?', [roomId, limit]);
  return rows.map((r) => ({ id: Number(r.id), text: r.text, at: Number(r.at) })).reverse();
}

/**
 * The room's Ed25519 private key (PKCS#8 PEM) that signs its completion records, made on first
 * use. Kept in the database like the facilitator secret (protect both alike); a concurrent first
 * use keeps whichever key was stored first.
 */
export async function roomSigningKey(db: Db, roomId: number): Promise<string> {
  const read = async () => (await db.get<{ signing_key: string | null }>('SELECT signing_key FROM rooms WHERE id = ?', [roomId]))?.signing_key ?? null;
  const existing = await read();
  if (existing) return existing;
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await db.run('UPDATE rooms SET signing_key = ? WHERE id = ? AND signing_key IS NULL', [pem, roomId]);
  const stored = await read();
  if (!stored) throw new Error(`There is no room ${roomId}.`);
  return stored;
}
