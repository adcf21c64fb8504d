// `leakproof new` and `leakproof check` as a user runs them (real processes, the fixture course).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env, LEAKPROOF_LESSONS_DIR: 'tests/fixtures/exercises' };
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/leakproof.mjs', ...args], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, last: r.stdout.trim().split('\n').pop() ?? '' };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'lp-cli-'));

describe('leakproof new / check', () => {
  it('new writes the starter with a fresh key and puts the key in a 0600 file outside the folder', () => {
    const dir = join(tmp(), 'proj');
    const r = cli('new', '2', dir);
    expect(r.code, r.stderr).toBe(0);
    const keyFile = r.last;
    expect(keyFile.startsWith(dir)).toBe(false);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^sk-proj-[A-Za-z0-9_-]{156}$/);
    expect(readFileSync(join(dir, 'app.mjs'), 'utf8')).toContain(key);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toContain(key);
    expect(r.stderr).toContain(`leakproof check 02-fixture-paste`);
  });

  it('check fails the starter (exit 1, JSON last line) and passes the solution (exit 0)', () => {
    const base = tmp();
    const starterKey = cli('new', '02-fixture-paste', join(base, 's')).last;
    const failed = cli('check', '2', join(base, 's'), '--key-file', starterKey, '--json');
    expect(failed.code, failed.stderr).toBe(1);
    const report = JSON.parse(failed.last);
    expect(report.passed).toBe(false);
    expect(report.checks.find((c: { id: string }) => c.id === 'key-not-committed').status).toBe('fail');
    expect(failed.stdout).not.toContain(readFileSync(starterKey, 'utf8').trim());
    // The folder is checked in a copy: nothing is written into it.
    expect(existsSync(join(base, 's', 'node_modules'))).toBe(false);

    const solvedKey = cli('new', '2', join(base, 'ok'), '--solution').last;
    const passed = cli('check', '2', join(base, 'ok'), '--key-file', solvedKey);
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout).toContain('All required checks passed.');
  });

  it('exit 2 with a clear message on usage and input errors', () => {
    const base = tmp();
    const keyFile = join(base, 'key.txt');
    writeFileSync(keyFile, `sk-proj-${'a'.repeat(156)}\n`);
    expect(cli('check').code).toBe(2);
    const unknown = cli('check', '42', base, '--key-file', keyFile);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No chapter "42"');
    expect(unknown.stderr).toContain('02-fixture-paste');
    const missing = cli('check', '2', join(base, 'nope'), '--key-file', keyFile);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const unreadable = cli('check', '2', base, '--key-file', join(base, 'missing.txt'));
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('cannot read the key file');
    writeFileSync(join(base, 'bad.txt'), 'hello');
    expect(cli('check', '2', base, '--key-file', join(base, 'bad.txt')).stderr).toContain('does not hold a key');
    expect(cli('check', '2', base).stderr).toContain('missing --key-file');
    const nonEmpty = cli('new', '2', base);
    expect(nonEmpty.code).toBe(2);
    expect(nonEmpty.stderr).toContain('not empty');
  });
});
