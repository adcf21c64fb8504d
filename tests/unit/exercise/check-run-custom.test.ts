import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/lib/exercise/checks/run.ts';
import { customCheck } from '../../../src/lib/exercise/checks/custom.ts';
import { FakeEngine } from './fake-engine.ts';
import { ctxFor, key, spec } from './helpers.ts';

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

describe('run: what the program writes', () => {
  const s = spec({ kind: 'run', command: 'node', args: ['app.js'], expect: { exitCode: 0 } });
  const enc = new TextEncoder();
  const before = { 'app.js': 'console.log(1)', 'notes.md': 'hello' };
  /** A program that writes `files` into the project while it runs. */
  const writes = (files: Record<string, string>) => (_c: string, _a: string[], e: FakeEngine) => {
    for (const [p, t] of Object.entries(files)) e.files.set(p, enc.encode(t));
    return { exitCode: 0, output: 'done' };
  };
  const reversed = [...key].reverse().join('');

  it('fails when the run writes the key, in any form, into a new or changed project file', async () => {
    for (const [path, text] of [
      ['debug.log', `used ${reversed}\n`],
      ['logs/run.json', JSON.stringify({ auth: Buffer.from(key).toString('base64') })],
      ['notes.md', `hello\n${key}`],
    ] as const) {
      const e = new FakeEngine(before);
      e.onRun = writes({ [path]: text });
      const r = await runCheck(s, ctxFor(e, { files: before }));
      expect(r.status, path).toBe('fail');
      expect(r.message).toContain(`wrote the key into ${path}`);
      expect(r.message).not.toContain(key);
    }
  });

  it('passes when the run writes no key, or writes it only into an ignored .env home', async () => {
    const e = new FakeEngine({ ...before, '.gitignore': '.env\n' });
    e.onRun = writes({ 'out.txt': 'the answer', '.env': `OPENAI_API_KEY=${key}\n` });
    expect((await runCheck(s, ctxFor(e, { files: { ...before, '.gitignore': '.env\n' } }))).status).toBe('pass');
  });

  it('leaves a key that was in a file before the run to no-key-in (the run did not write it)', async () => {
    const files = { ...before, 'config.js': `export const k = '${key}';` };
    const e = new FakeEngine(files);
    e.onRun = writes({ 'out.txt': 'fine' });
    expect((await runCheck(s, ctxFor(e, { files }))).status).toBe('pass');
  });

  it("leaves the build output a bundle check audits to that check, but not a log beside it", async () => {
    const e = new FakeEngine(before);
    e.onRun = writes({ 'dist/assets/index.js': `const k="${key}"` });
    expect((await runCheck(s, ctxFor(e, { files: before, auditedBuildDirs: ['dist'] }))).status).toBe('pass');
    const unaudited = new FakeEngine(before);
    unaudited.onRun = writes({ 'dist/assets/index.js': `const k="${key}"` });
    expect((await runCheck(s, ctxFor(unaudited, { files: before }))).status).toBe('fail');
    const withLog = new FakeEngine(before);
    withLog.onRun = writes({ 'dist/assets/index.js': 'fine', 'distribution.log': key });
    const r = await runCheck(s, ctxFor(withLog, { files: before, auditedBuildDirs: ['./dist/'] }));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('wrote the key into distribution.log');
  });
});
