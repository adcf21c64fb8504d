import { describe, expect, it, vi } from 'vitest';
import { testLeakCore } from './leak-core.ts';
vi.mock('../../../src/lib/exercise/leak.ts', async () => {
  const core = await testLeakCore();
  return { leakCore: async () => core };
});
import { defineExercise } from '../../../src/lib/exercise/define.ts';
import { runChecks } from '../../../src/lib/exercise/run-checks.ts';
import { FakeEngine } from './fake-engine.ts';
import { key } from './helpers.ts';

const def = defineExercise({
  chapter: '01-test',
  checks: [
    { id: 'no-key', kind: 'no-key-in', target: 'source', title: 'No key in code', hint: 'Move it to .env.', explain: '#move-it' },
    { id: 'ignored', kind: 'git-ignored', path: '.env', ignored: true, title: '.env ignored', hint: 'Add .env to .gitignore.' },
    { id: 'runs', kind: 'run', command: 'node', args: ['app.js'], expect: { exitCode: 0 }, title: 'App runs', hint: 'Load the key from process.env.' },
    { id: 'extra', kind: 'file', path: 'NOTES.md', title: 'Notes', hint: 'Optional.', required: false },
  ],
});

describe('runChecks', () => {
  it('passes when every required check passes (optional ones do not block)', async () => {
    const e = new FakeEngine();
    const progress: string[] = [];
    const r = await runChecks(def, { engine: e, key, files: { 'app.js': 'process.env.OPENAI_API_KEY', '.gitignore': '.env\n' }, onProgress: (p) => progress.push(p.text) });
    expect(r.passed).toBe(true);
    expect(r.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'fail']);
    expect(progress).toContain('check 2/4: .env ignored');
    expect(r.checks[0]!.hint).toBeUndefined();
  });
  it('fails, and every failing result carries its hint and explain anchor', async () => {
    const r = await runChecks(def, { engine: new FakeEngine(), key, files: { 'app.js': `const k = "${key}"` } });
    expect(r.passed).toBe(false);
    const first = r.checks[0]!;
    expect(first).toMatchObject({ status: 'fail', hint: 'Move it to .env.', explain: '#move-it' });
    expect(r.checks[1]).toMatchObject({ status: 'fail', hint: 'Add .env to .gitignore.' });
  });
  it('marks runtime checks "needs a runtime" on an engine without processes, and does not pass', async () => {
    const e = new FakeEngine({}, { processes: false, servers: false });
    const r = await runChecks(def, { engine: e, key, files: { 'app.js': 'ok', '.gitignore': '.env\n' } });
    expect(r.checks[2]).toMatchObject({ status: 'skipped' });
    expect(r.checks[2]!.message).toContain('needs a runtime');
    expect(r.passed).toBe(false);
  });
  it('turns a thrown error into status error with a clear message', async () => {
    const e = new FakeEngine();
    e.onRun = () => {
      throw new Error('spawn node ENOENT');
    };
    const r = await runChecks(def, { engine: e, key, files: { 'app.js': 'ok', '.gitignore': '.env\n' } });
    expect(r.checks[2]).toMatchObject({ status: 'error', hint: 'Load the key from process.env.' });
    expect(r.checks[2]!.message).toContain('could not run: spawn node ENOENT');
    expect(r.passed).toBe(false);
  });
  it('stops a check at its time limit', async () => {
    const slow = defineExercise({
      chapter: 'x',
      checks: [{ id: 'slow', kind: 'custom', title: 'Slow', hint: 'h', timeoutMs: 50, run: () => new Promise(() => {}) }],
    });
    const e = new FakeEngine();
    const r = await runChecks(slow, { engine: e, key, files: {} });
    expect(r.checks[0]!.status).toBe('error');
    expect(r.checks[0]!.message).toContain('time limit');
    expect(e.stopped).toBeGreaterThan(0);
  });
  it('reports a failed setup and skips the checks that need it', async () => {
    const withSetup = { ...def, setup: [{ command: 'npm', args: ['ci'] }] };
    const e = new FakeEngine();
    e.onRun = (c) => (c === 'npm' ? { exitCode: 1, output: 'npm ERR! missing lockfile' } : { exitCode: 0 });
    const r = await runChecks(withSetup, { engine: e, key, files: { '.gitignore': '.env\n' } });
    expect(r.checks[0]).toMatchObject({ id: 'setup', status: 'error' });
    expect(r.checks.find((c) => c.id === 'runs')!.status).toBe('skipped');
    expect(r.passed).toBe(false);
  });
  it('rejects a definition with duplicate ids or no hint', async () => {
    const bad = defineExercise({ chapter: 'x', checks: [{ id: 'a', kind: 'file', path: 'a', title: 'A', hint: '' }] });
    await expect(runChecks(bad, { engine: new FakeEngine(), key, files: {} })).rejects.toThrow(/needs a `hint`/);
  });
});
