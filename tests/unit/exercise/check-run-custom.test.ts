import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/lib/exercise/checks/run.ts';
import { customCheck } from '../../../src/lib/exercise/checks/custom.ts';
import { FakeEngine } from './fake-engine.ts';
import { ctxFor, spec } from './helpers.ts';

describe('run', () => {
  const s = spec({ kind: 'run', command: 'node', args: ['app.js'], expect: { exitCode: 0, outputIncludes: ['answer:'] } });
  it('passes on the expected exit code and output', async () => {
    const e = new FakeEngine();
    e.onRun = () => ({ exitCode: 0, output: 'answer: 42' });
    expect((await runCheck(s, ctxFor(e))).status).toBe('pass');
  });
  it('fails on another exit code, missing output, or a timeout', async () => {
    const e = new FakeEngine();
    e.onRun = () => ({ exitCode: 1, output: 'Error: OPENAI_API_KEY is not set' });
    const r = await runCheck(s, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('exit code 1; expected 0');
    expect(r.message).toContain('OPENAI_API_KEY is not set');
    e.onRun = () => ({ exitCode: 0, output: 'nothing' });
    expect((await runCheck(s, ctxFor(e))).message).toContain('does not include "answer:"');
    e.onRun = () => ({ exitCode: null, timedOut: true });
    expect((await runCheck(s, ctxFor(e))).message).toContain('did not finish in time');
  });
});

describe('custom', () => {
  it('returns what the function decides', async () => {
    const pass = spec({ kind: 'custom', run: async (ctx) => ({ status: ctx.key ? 'pass' : 'fail', message: 'ok' }) });
    expect((await customCheck(pass, ctxFor(new FakeEngine()))).status).toBe('pass');
    const fail = spec({ kind: 'custom', run: async () => ({ status: 'fail' as const, message: 'no', evidence: [{ file: 'a' }] }) });
    expect(await customCheck(fail, ctxFor(new FakeEngine()))).toEqual({ status: 'fail', message: 'no', evidence: [{ file: 'a' }] });
  });
  it('rejects a malformed return value', async () => {
    const bad = spec({ kind: 'custom', run: async () => ({}) as never });
    await expect(customCheck(bad, ctxFor(new FakeEngine()))).rejects.toThrow(/must return/);
  });
});
