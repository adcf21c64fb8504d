// The workshop service over real HTTP, on SQLite and on PostgreSQL: joins, events, limits, CORS,
// the facilitator stream, CSV, and a restart that keeps everything.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/workshop/db/index.ts';
import { MIGRATIONS } from '../../../src/workshop/db/migrations.ts';
import { startWorkshopService, type WorkshopHandle } from '../../../src/workshop/server.ts';
import { createRoom, type Room } from '../../../src/workshop/store.ts';
import { readSse, type SseMessage } from '../../../src/lib/workshop/sse.ts';
import type { RoomSnapshot } from '../../../src/lib/schemas/workshop.ts';
import { DATABASES, type TestDatabase } from './databases.ts';

const COURSE = 'http://localhost:4321';
const checkEvent = (statuses: Record<string, string>, chapter = '01-habits') => ({
  kind: 'check',
  chapter,
  passed: Object.values(statuses).every((s) => s === 'pass'),
  engine: 'in-browser',
  durationMs: 1200,
  checks: Object.entries(statuses).map(([id, status]) => ({ id, status })),
});

describe.each(DATABASES)('workshop service on $name', ({ fresh }) => {
  let tdb: TestDatabase;
  let db: Db;
  let svc: WorkshopHandle;
  let roomA: Room;
  let roomB: Room;
  const streams: AbortController[] = [];

  async function start() {
    db = await openDatabase(tdb.spec);
    svc = await startWorkshopService({ db, port: 0, origins: [COURSE] });
  }
  async function stop() {
    await svc.close();
    await db.close();
  }
  const api = (path: string, init: { method?: string; body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${svc.url}${path}`, {
      method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
      body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    });
  const join = async (room: Room, name: string) => {
    const r = await api('/api/join', { body: { code: room.code.toLowerCase(), name } });
    expect(r.status).toBe(201);
    return (await r.json()) as { token: string; learner: { id: number } };
  };
  const snapshot = async (room: Room): Promise<RoomSnapshot> => {
    const ac = new AbortController();
    const r = await fetch(`${svc.url}/api/facilitator/stream`, { headers: { authorization: `Bearer ${room.facilitatorSecret}` }, signal: ac.signal });
    expect(r.status).toBe(200);
    for await (const m of readSse(r.body!)) {
      ac.abort();
      return JSON.parse(m.data) as RoomSnapshot;
    }
    throw new Error('no snapshot');
  };

  beforeAll(async () => {
    tdb = await fresh();
    await start();
    roomA = await createRoom(db, { maxLearners: 3, maxEventsPerMinute: 8 });
    roomB = await createRoom(db);
  });
  afterEach(() => {
    for (const s of streams.splice(0)) s.abort();
  });
  afterAll(async () => {
    await stop().catch(() => {});
    await tdb?.drop();
  });

  it('applies each migration once', async () => {
    const rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations');
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    const again = await openDatabase(tdb.spec);
    expect((await again.all('SELECT version FROM schema_migrations')).length).toBe(MIGRATIONS.length);
    await again.close();
  });

  it('joins with the code, refuses a wrong code and bad names with a reason', async () => {
    const wrong = await api('/api/join', { body: { code: 'ZZZZZ2', name: 'Ada' } });
    expect(wrong.status).toBe(404);
    expect((await wrong.json()).error).toMatch(/no room with the code ZZZZZ2/);
    const short = await api('/api/join', { body: { code: 'AB', name: 'Ada' } });
    expect(short.status).toBe(400);
    expect((await short.json()).error).toMatch(/6 letters and digits/);
    const extra = await api('/api/join', { body: { code: roomA.code, name: 'Ada', room: roomB.code } });
    expect(extra.status).toBe(400);
    const empty = await api('/api/join', { body: { code: roomA.code, name: '  ' } });
    expect((await empty.json()).error).toMatch(/display name cannot be empty/);
    const ok = await join(roomA, 'Ada');
    expect(ok.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('records a check result and shows it live on the facilitator stream', async () => {
    const { token, learner } = await join(roomA, 'Grace');
    const ac = new AbortController();
    streams.push(ac);
    const res = await fetch(`${svc.url}/api/facilitator/stream`, { headers: { authorization: `Bearer ${roomA.facilitatorSecret}` }, signal: ac.signal });
    const it = readSse(res.body!)[Symbol.asyncIterator]();
    const first = (await it.next()).value as SseMessage;
    expect(first.event).toBe('snapshot');
    const post = await api('/api/learner/events', { body: checkEvent({ 'key-not-committed': 'fail', runs: 'pass' }), token });
    expect(post.status).toBe(202);
    const { id } = await post.json();
    const live = (await it.next()).value as SseMessage;
    expect(live.event).toBe('event');
    expect(JSON.parse(live.data)).toMatchObject({ id, learnerId: learner.id, event: { chapter: '01-habits', checks: [{ id: 'key-not-committed', status: 'fail' }, { id: 'runs', status: 'pass' }] } });
  });

  it('refuses forged tokens, malformed and oversized events, and anything but check results', async () => {
    const { token } = await join(roomA, 'Linus');
    const before = (await snapshot(roomA)).events.length;
    const forged = await api('/api/learner/events', { body: checkEvent({ a: 'pass' }), token: 'x'.repeat(32) });
    expect(forged.status).toBe(401);
    expect((await forged.json()).error).toMatch(/not valid in any room/);
    const none = await api('/api/learner/events', { body: checkEvent({ a: 'pass' }) });
    expect(none.status).toBe(401);
    const files = await api('/api/learner/events', { body: { ...checkEvent({ a: 'pass' }), files: { '.env': 'OPENAI_API_KEY=sk-…' } }, token });
    expect(files.status).toBe(400);
    expect((await files.json()).error).toMatch(/no field "files".*never files, keys or output/);
    const output = await api('/api/learner/events', { body: checkEvent({ a: 'pass' }), token, raw: JSON.stringify({ ...checkEvent({ a: 'pass' }), checks: [{ id: 'a', status: 'pass', message: 'key: sk-…' }] }) });
    expect(output.status).toBe(400);
    const status = await api('/api/learner/events', { body: checkEvent({ a: 'maybe' }), token });
    expect((await status.json()).error).toMatch(/one of pass, fail, skipped, error/);
    const broken = await api('/api/learner/events', { raw: '{"kind": "check",', token });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toMatch(/not valid JSON/);
    const big = await api('/api/learner/events', { raw: JSON.stringify({ ...checkEvent({ a: 'pass' }), pad: 'x'.repeat(20_000) }), token });
    expect(big.status).toBe(413);
    expect((await big.json()).error).toMatch(/limit is 8192 bytes/);
    const text = await api('/api/learner/events', { raw: 'kind=check', token, headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect((await snapshot(roomA)).events.length).toBe(before);
  });

  it("keeps rooms apart: a learner reaches only their room, a facilitator only theirs, another room's ids are refused", async () => {
    const b = await join(roomB, 'Barbara');
    await api('/api/learner/events', { body: checkEvent({ only_b: 'fail' }), token: b.token });
    const a = await snapshot(roomA);
    expect(a.learners.map((l) => l.name)).not.toContain('Barbara');
    expect(a.events.flatMap((e) => (e.event.kind === 'check' ? e.event.checks.map((c) => c.id) : []))).not.toContain('only_b');
    const other = await fetch(`${svc.url}/api/facilitator/learners/${b.learner.id}/events`, { headers: { authorization: `Bearer ${roomA.facilitatorSecret}` } });
    expect(other.status).toBe(404);
    expect((await other.json()).error).toBe(`There is no learner ${b.learner.id} in this room.`);
    const own = await fetch(`${svc.url}/api/facilitator/learners/${b.learner.id}/events`, { headers: { authorization: `Bearer ${roomB.facilitatorSecret}` } });
    expect((await own.json()).events).toHaveLength(1);
    // A learner sees the room's releases and messages, nothing about other learners.
    const view = await (await api('/api/learner', { token: b.token })).json();
    expect(Object.keys(view).sort()).toEqual(['messages', 'released', 'room', 'you']);
    // The learner token is no facilitator secret.
    const asFacilitator = await fetch(`${svc.url}/api/facilitator/export.csv`, { headers: { authorization: `Bearer ${b.token}` } });
    expect(asFacilitator.status).toBe(401);
  });

  it('answers CORS for the course origins only, and the facilitator API for its own page only', async () => {
    const pre = await fetch(`${svc.url}/api/join`, { method: 'OPTIONS', headers: { origin: COURSE, 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(COURSE);
    const evil = await api('/api/join', { body: { code: roomA.code, name: 'Eve' }, headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect((await evil.json()).error).toMatch(/does not accept pages from https:\/\/evil\.example/);
    for (const origin of [COURSE, 'null']) {
      const cross = await fetch(`${svc.url}/api/facilitator/export.csv`, { headers: { authorization: `Bearer ${roomA.facilitatorSecret}`, origin } });
      expect(cross.status).toBe(403);
    }
    const own = await fetch(`${svc.url}/api/facilitator/export.csv`, { headers: { authorization: `Bearer ${roomA.facilitatorSecret}`, origin: svc.url } });
    expect(own.status).toBe(200);
  });

  it('enforces the room limits with clear errors', async () => {
    const fill = [];
    for (let i = 0; i < 3; i++) fill.push(await api('/api/join', { body: { code: roomA.code, name: `Extra ${i}` } }));
    const statuses = fill.map((r) => r.status);
    expect(statuses).toContain(409);
    const refusal = fill.find((r) => r.status === 409)!;
    expect((await refusal.json()).error).toMatch(/room is full \(3 learners\)/);
    const busy = await createRoom(db, { maxLearners: 10, maxEventsPerMinute: 3 });
    const { token } = await join(busy, 'Busy');
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push(await api('/api/learner/events', { body: checkEvent({ a: 'fail' }), token }));
    expect(sent.map((r) => r.status)).toEqual([202, 202, 202, 429]);
    expect((await sent[3]!.json()).error).toMatch(/at most 3 check results a minute.*not recorded/);
    expect((await snapshot(busy)).events).toHaveLength(3);
    const other = await join(roomB, 'Calm');
    const b = await api('/api/learner/events', { body: checkEvent({ a: 'pass' }), token: other.token });
    expect(b.status).toBe(202); // another room's limit is its own
  });

  it('release and message reach the learners; the CSV has a row per learner × chapter', async () => {
    const { token } = await join(roomB, 'Hedy');
    const ac = new AbortController();
    streams.push(ac);
    const res = await fetch(`${svc.url}/api/learner/stream`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
    const it = readSse(res.body!)[Symbol.asyncIterator]();
    expect(((await it.next()).value as SseMessage).event).toBe('view');
    const fac = { authorization: `Bearer ${roomB.facilitatorSecret}`, 'content-type': 'application/json' };
    expect((await fetch(`${svc.url}/api/facilitator/release`, { method: 'POST', headers: fac, body: JSON.stringify({ chapter: '01-habits' }) })).status).toBe(200);
    expect(JSON.parse(((await it.next()).value as SseMessage).data)).toMatchObject({ chapter: '01-habits' });
    const twoLines = await fetch(`${svc.url}/api/facilitator/message`, { method: 'POST', headers: fac, body: JSON.stringify({ text: 'a\nb' }) });
    expect((await twoLines.json()).error).toMatch(/one line only/);
    await fetch(`${svc.url}/api/facilitator/message`, { method: 'POST', headers: fac, body: JSON.stringify({ text: 'Break until 11:00' }) });
    const msg = (await it.next()).value as SseMessage;
    expect(msg.event).toBe('message');
    expect(JSON.parse(msg.data).text).toBe('Break until 11:00');
    const csv = await (await fetch(`${svc.url}/api/facilitator/export.csv`, { headers: fac })).text();
    const rows = csv.trimEnd().split('\r\n');
    const snap = await snapshot(roomB);
    const chapters = new Set(snap.events.map((e) => e.event.chapter));
    expect(rows).toHaveLength(1 + snap.learners.length * chapters.size);
  });

  it('a restart loses nothing', async () => {
    const before = await snapshot(roomA);
    await stop();
    await start();
    const after = await snapshot(roomA);
    expect(after).toEqual(before);
    // Tokens still work after the restart.
    const { token } = await join(roomB, 'After restart');
    expect((await api('/api/learner/events', { body: checkEvent({ a: 'pass' }), token })).status).toBe(202);
  });

  it('a learner who left can no longer report', async () => {
    const { token } = await join(roomB, 'Leaver');
    expect((await api('/api/learner/leave', { body: {}, token })).status).toBe(200);
    const r = await api('/api/learner/events', { body: checkEvent({ a: 'pass' }), token });
    expect(r.status).toBe(401);
    const snap = await snapshot(roomB);
    expect(snap.learners.find((l) => l.name === 'Leaver')?.leftAt).toBeTypeOf('number');
  });
});
