// The completion record: issued on the end page, verified by `leakproof verify` against the course.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, issueRecord, verifyRecord, type CompletionRecord } from '../../../src/lib/record/index.ts';
import { courseManifest } from '../../../src/node/course-manifest.ts';

const FIXTURE = join(import.meta.dirname, '../../fixtures/course');

async function passedAll(): Promise<CompletionRecord> {
  const course = await courseManifest(FIXTURE);
  const chapters = course.chapters.filter((c) => c.checksHash).map((c) => ({ id: c.id, title: c.title, passedAt: '2026-12-01T10:00:00.000Z', engine: 'local' as const, checksHash: c.checksHash! }));
  return issueRecord({ course, chapters, learner: 'Ada', now: new Date('2026-12-02T09:00:00.000Z') });
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });
});

describe('courseManifest', () => {
  it('lists published chapters in order, a checks hash only for chapters with an exercise', async () => {
    const course = await courseManifest(FIXTURE);
    expect(course.chapters.map((c) => [c.id, !!c.checksHash])).toEqual([
      ['01-first-steps', true],
      ['02-no-exercise', false],
      ['03-wrap-up', false],
    ]);
  });

  it('changes a chapter hash (and the course hash) when its checks change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-course-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const before = await courseManifest(dir);
    writeFileSync(join(dir, '01-first-steps/exercise/checks.ts'), '// edited\n', { flag: 'a' });
    const after = await courseManifest(dir);
    expect(after.chapters[0]!.checksHash).not.toBe(before.chapters[0]!.checksHash);
    expect(after.hash).not.toBe(before.hash);
  });
});

describe('verifyRecord', () => {
  it('accepts a record issued by the same course', async () => {
    const v = await verifyRecord(await passedAll(), await courseManifest(FIXTURE));
    expect(v.problems).toEqual([]);
    expect(v.valid).toBe(true);
  });

  it.each([
    ['a changed date', (r: CompletionRecord) => void (r.chapters[0]!.passedAt = '2026-11-01T10:00:00.000Z'), /seal does not match/],
    ['a chapter added by hand', (r: CompletionRecord) => void r.chapters.push({ ...r.chapters[0]!, id: '02-no-exercise' }), /seal does not match[\s\S]*no exercise/],
    ['another learner name', (r: CompletionRecord) => void (r.learner = 'Mallory'), /seal does not match/],
  ])('refuses %s', async (_name, tamper, message) => {
    const record = await passedAll();
    tamper(record);
    const v = await verifyRecord(JSON.parse(JSON.stringify(record)), await courseManifest(FIXTURE));
    expect(v.valid).toBe(false);
    expect(v.problems.join('\n')).toMatch(message);
  });

  it('refuses a resealed record whose chapter checks are not this course\'s', async () => {
    const course = await courseManifest(FIXTURE);
    const record = await issueRecord({ course, chapters: [{ id: '01-first-steps', title: 'x', passedAt: '2026-12-01T10:00:00.000Z', engine: 'local', checksHash: `sha256-${'0'.repeat(64)}` }] });
    const v = await verifyRecord(record, course);
    expect(v.problems.join('\n')).toMatch(/checks are not the ones this course has/);
  });

  it('says what is wrong with a file that is not a record', async () => {
    const v = await verifyRecord({ format: 'x' }, await courseManifest(FIXTURE));
    expect(v.valid).toBe(false);
    expect(v.problems[0]).toMatch(/not a valid completion record[\s\S]*format: must be "leakproof-completion-record\/1"/);
  });
});

describe('leakproof verify (CLI)', () => {
  const cli = (file: string) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, ['bin/leakproof.mjs', 'verify', file, '--lessons', FIXTURE], { encoding: 'utf8' }) };
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      return { code: err.status, out: err.stdout + err.stderr };
    }
  };

  it('exits 0 for a good record, 1 for a tampered one, 2 for a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-record-'));
    const record = await passedAll();
    writeFileSync(join(dir, 'good.json'), JSON.stringify(record));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...record, issuedAt: '2027-01-01T00:00:00.000Z' }));
    const good = cli(join(dir, 'good.json'));
    expect(good.out).toContain('The record verifies against this course.');
    expect(good.out).toContain('not tamper-proof');
    expect(good.code).toBe(0);
    const bad = cli(join(dir, 'bad.json'));
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('does NOT verify');
    const missing = cli(join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('no such file');
  }, 60_000);
});
