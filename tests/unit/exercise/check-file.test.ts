import { describe, expect, it, vi } from 'vitest';
import { testLeakCore } from './leak-core.ts';
vi.mock('../../../src/lib/exercise/leak.ts', async () => {
  const core = await testLeakCore();
  return { leakCore: async () => core };
});
import { fileCheck } from '../../../src/lib/exercise/checks/file.ts';
import { FakeEngine } from './fake-engine.ts';
import { ctxFor, key, spec } from './helpers.ts';

describe('file check', () => {
  const example = spec({ kind: 'file', path: '.env.example', matches: ['^OPENAI_API_KEY='], notMatches: ['sk-proj-'], withoutKey: true });
  it('passes when the file exists and matches', async () => {
    const e = new FakeEngine({ '.env.example': 'OPENAI_API_KEY=your-key-here\n' });
    expect((await fileCheck(example, ctxFor(e))).status).toBe('pass');
  });
  it('fails when missing', async () => {
    const r = await fileCheck(example, ctxFor(new FakeEngine({})));
    expect(r).toMatchObject({ status: 'fail' });
    expect(r.message).toContain('`.env.example` is missing');
  });
  it('fails when a pattern does not match, or a forbidden one does (with its line)', async () => {
    expect((await fileCheck(example, ctxFor(new FakeEngine({ '.env.example': 'KEY=x' })))).status).toBe('fail');
    const r = await fileCheck(example, ctxFor(new FakeEngine({ '.env.example': 'OPENAI_API_KEY=\n# sk-proj-abc' })));
    expect(r.status).toBe('fail');
    expect(r.evidence?.[0]).toMatchObject({ file: '.env.example', line: 2 });
  });
  it('fails when the file holds the key', async () => {
    const s = spec({ kind: 'file', path: 'config.json', withoutKey: true });
    const r = await fileCheck(s, ctxFor(new FakeEngine({ 'config.json': `{"k":"${key}"}` })));
    expect(r.status).toBe('fail');
    expect(JSON.stringify(r)).not.toContain(key);
  });
  it('exists: false passes only when the file is gone', async () => {
    const s = spec({ kind: 'file', path: 'secret.txt', exists: false });
    expect((await fileCheck(s, ctxFor(new FakeEngine({})))).status).toBe('pass');
    expect((await fileCheck(s, ctxFor(new FakeEngine({ 'secret.txt': 'x' })))).status).toBe('fail');
  });
  it('an invalid pattern is an author error with a clear message', async () => {
    const s = spec({ kind: 'file', path: 'a', matches: ['('] });
    await expect(fileCheck(s, ctxFor(new FakeEngine({ a: 'x' })))).rejects.toThrow(/not a valid regular expression/);
  });
});
