// The room's completion records (facilitator: "Export completion records") over real HTTP, on
// SQLite and on PostgreSQL: who gets a record, what it lists, the room's signature, refusals, and
// `leakproof verify` on the downloaded file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/workshop/db/index.ts';
import { startWorkshopService, type WorkshopHandle } from '../../../src/workshop/server.ts';
import { createRoom, roomSigningKey, type Room } from '../../../src/workshop/store.ts';
import { publicKeyOf } from '../../../src/workshop/records.ts';
import { courseManifest } from '../../../src/node/course-manifest.ts';
import { sealOf, verifyRecord, verifyRoomExport, WORKSHOP_RECORD_LIMITS, type CompletionRecord, type CourseManifest, type RoomExport } from '../../../src/lib/record/index.ts';
import { DATABASES, type TestDatabase } from './databases.ts';

const COURSE = 'http://localhost:4321';
const LESSONS = join(import.meta.dirname, '../../../lessons');

describe.each(DATABASES)('completion records export on $name', ({ fresh }) => {
  let tdb: TestDatabase;
  let db: Db;
  let svc: WorkshopHandle;
  let room: Room;
  let other: Room;
  let course: CourseManifest;
  const ch = (i: number) => course.chapters.filter((c) => c.checksHash)[i]!;

  async function start() {
    db = await openDatabase(tdb.spec);
    svc = await startWorkshopService({ db, port: 0, origins: [COURSE], lessonsDir: LESSONS });
  }
  const post = (path: string, token: string, body: unknown) =>
    fetch(`${svc.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const join_ = async (r: Room, name: string) => {
    const res = await fetch(`${svc.url}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: r.code, name }) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };
  const check = async (token: string, chapter: string, passed: boolean, extra: Record<string, unknown> = {}) => {
    const res = await post('/api/learner/events', token, {
      kind: 'check',
      chapter,
      passed,
      engine: 'local',
      durationMs: 900,
      checks: [{ id: 'no-key-in-source', status: passed ? 'pass' : 'fail' }],
      ...extra,
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: number }).id;
  };
  const exportOf = async (r: Room): Promise<RoomExport> => {
    const res = await fetch(`${svc.url}/api/facilitator/records.json`, { headers: { authorization: `Bearer ${r.facilitatorSecret}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="leakproof-records-${r.code}.json"`);
    return (await res.json()) as RoomExport;
  };
  const eventTime = async (r: Room, id: number) => {
    const rows = await db.all<{ id: number; at: number }>('SELECT id, at FROM events WHERE room_id = ?', [r.id]);
    return new Date(Number(rows.find((x) => Number(x.id) === id)!.at)).toISOString();
  };
  const byName = (file: RoomExport, name: string) => file.records.map((e) => e.record as CompletionRecord).find((r) => r.learner === name);

  const ids: Record<string, number> = {};
  beforeAll(async () => {
    course = await courseManifest(LESSONS);
    tdb = await fresh();
    await start();
    room = await createRoom(db);
    other = await createRoom(db);
    // Ada fails chapter A, then passes it (reporting the page's checks hash); passes B on the
    // in-browser engine from a page that sends no hash; passes A a second time later.
    const ada = await join_(room, 'Ada');
    await check(ada, ch(0).id, false);
    ids.adaA1 = await check(ada, ch(0).id, true, { checksHash: ch(0).checksHash });
    ids.adaB = await check(ada, ch(1).id, true, { engine: 'in-browser' });
    await check(ada, ch(1).id, false); // a later failure does not undo the pass
    ids.adaA2 = await check(ada, ch(0).id, true, { checksHash: ch(0).checksHash });
    await check(ada, 'zz-not-in-course', true); // a chapter this course does not have: left out
    // Bob only fails, Dee only opens a chapter: no record for either.
    const bob = await join_(room, 'Bob');
    await check(bob, ch(0).id, false);
    await check(bob, ch(0).id, false);
    const dee = await join_(room, 'Dee');
    expect((await post('/api/learner/events', dee, { kind: 'open', chapter: ch(0).id })).status).toBe(202);
    // Cy passes chapter C, then leaves the room.
    const cy = await join_(room, 'Cy');
    ids.cyC = await check(cy, ch(2).id, true);
    expect((await post('/api/learner/leave', cy, {})).status).toBe(200);
    // Another room's learner passes: never in this room's export.
    await check(await join_(other, 'Olga'), ch(0).id, true);
    await new Promise((r) => setTimeout(r, 100)); // events are committed in short batches
  });
  afterAll(async () => {
    await svc?.close().catch(() => {});
    await db?.close().catch(() => {});
    await tdb?.drop();
  });

  it('refuses the export without the facilitator secret', async () => {
    const url = `${svc.url}/api/facilitator/records.json`;
    expect((await fetch(url)).status).toBe(401);
    const learner = await join_(other, 'Mallory');
    const asLearner = await fetch(url, { headers: { authorization: `Bearer ${learner}` } });
    expect(asLearner.status).toBe(401);
    expect(((await asLearner.json()) as { error: string }).error).toMatch(/facilitator link is not valid/);
    const otherPage = await fetch(url, { headers: { authorization: `Bearer ${room.facilitatorSecret}`, origin: COURSE } });
    expect(otherPage.status).toBe(403);
    expect((await fetch(`${svc.url}/api/facilitator/records-key`, { headers: { authorization: `Bearer ${learner}` } })).status).toBe(401);
  });

  it('has one record per learner who passed a chapter here, even one who left; none for no pass', async () => {
    const file = await exportOf(room);
    expect(file.room).toBe(room.code);
    expect(file.limits).toBe(WORKSHOP_RECORD_LIMITS);
    expect(file.records.map((e) => (e.record as CompletionRecord).learner)).toEqual(['Ada', 'Cy']);
  });

  it('lists the chapters the room saw passed: last passing run, its arrival time and engine, the reported checks', async () => {
    const file = await exportOf(room);
    const ada = byName(file, 'Ada')!;
    expect(ada.chapters.map((c) => c.id)).toEqual([ch(0).id, ch(1).id]);
    expect(ada.chapters[0]).toEqual({ id: ch(0).id, title: ch(0).title, passedAt: await eventTime(room, ids.adaA2!), engine: 'local', checksHash: ch(0).checksHash });
    expect(ada.chapters[1]).toMatchObject({ passedAt: await eventTime(room, ids.adaB!), engine: 'in-browser', checksHash: ch(1).checksHash });
    expect(ada.course).toEqual({ name: course.name, version: course.version, hash: course.hash });
    expect(byName(file, 'Cy')!.chapters).toMatchObject([{ id: ch(2).id, passedAt: await eventTime(room, ids.cyC!) }]);
    expect(JSON.stringify(file)).not.toContain('zz-not-in-course');
    expect(JSON.stringify(file)).not.toContain('Olga');
  });

  it('verifies: every record against the course, each signed by the room key, which survives a restart', async () => {
    const file = await exportOf(room);
    const key = publicKeyOf(await roomSigningKey(db, room.id));
    expect(file.signingKey).toBe(key);
    const shown = await fetch(`${svc.url}/api/facilitator/records-key`, { headers: { authorization: `Bearer ${room.facilitatorSecret}` } });
    expect(await shown.json()).toEqual({ room: room.code, recordsKey: key });
    // Each record is an ordinary completion record too (without the signature).
    for (const e of file.records) expect((await verifyRecord(e.record, course)).problems).toEqual([]);
    const v = await verifyRoomExport(file, course, { key });
    expect(v.problems).toEqual([]);
    expect(v.records.map((r) => [r.learner, r.valid, r.problems])).toEqual([
      ['Ada', true, []],
      ['Cy', true, []],
    ]);
    expect(v.valid).toBe(true);
    await svc.close();
    await db.close();
    await start();
    expect((await exportOf(room)).signingKey).toBe(key);
    expect((await exportOf(other)).signingKey).not.toBe(key);
  });

  it('a record changed after export fails its signature, even resealed; a wrong key or another room fails', async () => {
    const file = await exportOf(room);
    const key = file.signingKey;
    const resealed = structuredClone(file);
    const ada = resealed.records[0]!.record as CompletionRecord;
    ada.chapters[0]!.passedAt = '2026-01-01T00:00:00.000Z';
    ada.seal = await sealOf(ada); // the seal alone cannot tell: anyone can recompute it
    const v = await verifyRoomExport(resealed, course, { key });
    expect(v.valid).toBe(false);
    expect(v.records[0]!.problems.join('\n')).toMatch(/signature does not match/);
    expect(v.records[1]!.valid).toBe(true);

    const swapped = structuredClone(file);
    [swapped.records[0]!.signature, swapped.records[1]!.signature] = [swapped.records[1]!.signature, swapped.records[0]!.signature];
    expect((await verifyRoomExport(swapped, course, { key })).records.map((r) => r.valid)).toEqual([false, false]);

    const otherKey = (await exportOf(other)).signingKey;
    const wrongKey = await verifyRoomExport(file, course, { key: otherKey });
    expect(wrongKey.valid).toBe(false);
    expect(wrongKey.problems.join('\n')).toMatch(/not with the key you gave/);

    // A record moved into a file of another room, or the room code changed: the signature covers the room.
    const moved = { ...structuredClone(file), room: other.code };
    expect((await verifyRoomExport(moved, course)).records.every((r) => !r.valid)).toBe(true);
    const notAnExport = await verifyRoomExport({ format: file.format, room: room.code }, course);
    expect(notAnExport.valid).toBe(false);
    expect(notAnExport.problems[0]).toMatch(/not a valid workshop export[\s\S]*signingKey/);
    // Without --key the verdict says what is left to check.
    expect((await verifyRoomExport(file, course)).notes.join('\n')).toMatch(/only if this is the key the facilitator published/);
  });

  it('leakproof verify reads the export: exit 0 with the room key, 1 with a tampered record or another key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-records-'));
    const file = await exportOf(room);
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(file));
    const bad = join(dir, 'bad.json');
    const tampered = structuredClone(file);
    (tampered.records[1]!.record as CompletionRecord).learner = 'Mallory';
    writeFileSync(bad, JSON.stringify(tampered));
    const cli = (...args: string[]) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, ['bin/leakproof.mjs', 'verify', ...args, '--lessons', LESSONS], { encoding: 'utf8' }) };
      } catch (e) {
        const err = e as { status: number; stdout: string; stderr: string };
        return { code: err.status, out: err.stdout + err.stderr };
      }
    };
    const ok = cli(good, '--key', file.signingKey);
    expect(ok.out).toContain(`Workshop export of room ${room.code}: 2 completion record(s).`);
    expect(ok.out).toMatch(/1\. Ada, 2 chapter\(s\) passed: verifies/);
    expect(ok.out).toContain('Every record of the export verifies against this course.');
    expect(ok.code).toBe(0);
    const tamperedOut = cli(bad, '--key', file.signingKey);
    expect(tamperedOut.out).toMatch(/2\. Mallory, 1 chapter\(s\) passed: does NOT verify/);
    expect(tamperedOut.code).toBe(1);
    const wrong = cli(good, '--key', (await exportOf(other)).signingKey);
    expect(wrong.code).toBe(1);
    expect(cli(good, '--key', 'nonsense').code).toBe(2);
  }, 60_000);
});

describe('docs/workshop.md', () => {
  it('quotes what a workshop record can claim word for word, as the export and the CLI say it', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/workshop.md'), 'utf8');
    const quoted = doc
      .split('\n')
      .filter((l) => l.startsWith('> '))
      .map((l) => l.slice(2))
      .join(' ');
    expect(quoted).toContain(WORKSHOP_RECORD_LIMITS);
  });
});
