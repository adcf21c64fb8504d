import { describe, expect, it } from 'vitest';
import { RoomModel, roomCsv, STUCK_IDLE_MS } from '../../../src/lib/workshop/room-model.ts';
import type { LearnerEvent, RoomEvent } from '../../../src/lib/schemas/workshop.ts';

let id = 0;
const ev = (learnerId: number, at: number, event: LearnerEvent): RoomEvent => ({ id: ++id, learnerId, at, event });
const check = (chapter: string, statuses: Record<string, 'pass' | 'fail'>): LearnerEvent => ({
  kind: 'check',
  chapter,
  passed: Object.values(statuses).every((s) => s === 'pass'),
  engine: 'local',
  durationMs: 1000,
  checks: Object.entries(statuses).map(([cid, status]) => ({ id: cid, status })),
});

function room() {
  const m = new RoomModel();
  m.addLearner({ id: 1, name: 'Ada', joinedAt: 0, leftAt: null });
  m.addLearner({ id: 2, name: '=HYPERLINK("x")', joinedAt: 0, leftAt: null });
  return m;
}

describe('RoomModel', () => {
  it('counts attempts, the check failing most, and passes', () => {
    const m = room();
    m.apply(ev(1, 1000, { kind: 'open', chapter: '01-a' }));
    m.apply(ev(1, 2000, check('01-a', { a: 'fail', b: 'fail' })));
    m.apply(ev(1, 3000, check('01-a', { a: 'pass', b: 'fail' })));
    const c = m.cell(1, '01-a');
    expect(c).toMatchObject({ status: 'working', attempts: 2, mostFailing: 'b', mostFailingCount: 2, failingNow: ['b'] });
    expect(m.stuck(c, 3000)).toBeNull();
    m.apply(ev(1, 61_000, check('01-a', { a: 'pass', b: 'pass' })));
    expect(m.cell(1, '01-a')).toMatchObject({ status: 'passed', attempts: 3, passedAt: 61_000 });
    expect(m.timeOnChapter(m.cell(1, '01-a'), 10 * STUCK_IDLE_MS)).toBe(60_000);
    expect(m.cell(2, '01-a').status).toBe('not-started');
  });

  it('flags the same check failing three times in a row, and not two, nor three of different checks', () => {
    const m = room();
    m.apply(ev(1, 1, check('01-a', { a: 'fail', b: 'pass' })));
    m.apply(ev(1, 2, check('01-a', { a: 'fail', b: 'pass' })));
    expect(m.stuck(m.cell(1, '01-a'), 3)).toBeNull();
    m.apply(ev(1, 3, check('01-a', { a: 'fail', b: 'pass' })));
    expect(m.stuck(m.cell(1, '01-a'), 4)).toBe('same-check');
    m.apply(ev(2, 1, check('01-a', { a: 'fail', b: 'pass' })));
    m.apply(ev(2, 2, check('01-a', { a: 'pass', b: 'fail' })));
    m.apply(ev(2, 3, check('01-a', { a: 'fail', b: 'pass' })));
    expect(m.stuck(m.cell(2, '01-a'), 4)).toBeNull();
  });

  it('flags ten minutes without a newly passing check on the current chapter only', () => {
    const m = room();
    m.apply(ev(1, 0, check('01-a', { a: 'fail', b: 'pass' })));
    m.apply(ev(1, 5 * 60_000, check('01-a', { a: 'pass', b: 'fail' }))); // same count passing: no progress
    expect(m.stuck(m.cell(1, '01-a'), STUCK_IDLE_MS - 1)).toBeNull();
    expect(m.stuck(m.cell(1, '01-a'), STUCK_IDLE_MS)).toBe('no-progress');
    m.apply(ev(1, STUCK_IDLE_MS + 1, { kind: 'open', chapter: '02-b' }));
    expect(m.stuck(m.cell(1, '01-a'), 2 * STUCK_IDLE_MS)).toBeNull(); // moved on
  });

  it('lists per chapter the checks failing across the room', () => {
    const m = room();
    m.apply(ev(1, 1, check('01-a', { a: 'fail', b: 'fail' })));
    m.apply(ev(2, 1, check('01-a', { a: 'fail', b: 'pass' })));
    expect(m.failingAcrossRoom('01-a')).toEqual([
      { check: 'a', learners: 2 },
      { check: 'b', learners: 1 },
    ]);
  });

  it('ignores an event it already applied', () => {
    const m = room();
    const e = ev(1, 1, check('01-a', { a: 'fail' }));
    expect(m.apply(e)).not.toBeNull();
    expect(m.apply(e)).toBeNull();
    expect(m.cell(1, '01-a').attempts).toBe(1);
  });
});

describe('roomCsv', () => {
  it('has one row per learner × chapter and never a spreadsheet formula', () => {
    const m = room();
    m.apply(ev(1, 1, check('01-a', { a: 'fail' })));
    m.apply(ev(2, 1, check('02-b', { a: 'pass' })));
    const lines = roomCsv(m, 60_000).trimEnd().split('\r\n');
    expect(lines[0]).toBe('learner,chapter,status,attempts,most_failing_check,minutes_on_chapter,stuck,started_at,passed_at,left_room');
    expect(lines).toHaveLength(1 + 2 * 2);
    expect(lines[1]).toMatch(/^Ada,01-a,working,1,a,1\.0,,/);
    expect(lines[2]).toMatch(/^Ada,02-b,not-started,0,/);
    expect(lines[3]).toMatch(/^"'=HYPERLINK\(""x""\)",01-a,not-started/);
  });
});
