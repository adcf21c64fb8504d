import { beforeAll, describe, expect, it, vi } from 'vitest';
import { testLeakCore } from './leak-core.ts';
vi.mock('../../../src/lib/exercise/leak.ts', async () => {
  const core = await testLeakCore();
  return { leakCore: async () => core };
});
import { noKeyIn } from '../../../src/lib/exercise/checks/no-key-in.ts';
import { FakeEngine } from './fake-engine.ts';
import { ctxFor, key, spec } from './helpers.ts';

const source = spec({ kind: 'no-key-in', target: 'source' });
const bundle = spec({ kind: 'no-key-in', target: 'bundle', build: { command: 'npm', args: ['run', 'build'], outDir: 'dist' } });

describe('no-key-in source', () => {
  beforeAll(() => {});
  it('fails with file:line evidence when a committed file holds the key', async () => {
    const e = new FakeEngine({ 'src/app.js': `const a = 1;\nconst k = "${key}";\n`, '.gitignore': '.env\n' });
    const r = await noKeyIn(source, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('src/app.js line 2');
    expect(r.evidence?.[0]).toMatchObject({ file: 'src/app.js', line: 2 });
    expect(JSON.stringify(r)).not.toContain(key);
  });
  it('passes when no file holds the key', async () => {
    const e = new FakeEngine({ 'src/app.js': 'const k = process.env.OPENAI_API_KEY;\n' });
    expect((await noKeyIn(source, ctxFor(e))).status).toBe('pass');
  });
});

describe('no-key-in bundle', () => {
  it('runs the build, then fails when the output holds the key', async () => {
    const e = new FakeEngine({ 'src/main.js': 'x' });
    e.onRun = (_c, _a, eng) => {
      eng.files.set('dist/assets/index.js', new TextEncoder().encode(`fetch(u,{headers:{Authorization:"Bearer ${key}"}})`));
      return { exitCode: 0 };
    };
    const r = await noKeyIn(bundle, ctxFor(e));
    expect(e.commands).toEqual(['npm run build']);
    expect(r.status).toBe('fail');
    expect(r.evidence?.[0]?.file).toBe('dist/assets/index.js');
  });
  it('passes when the output is clean', async () => {
    const e = new FakeEngine({});
    e.onRun = (_c, _a, eng) => {
      eng.files.set('dist/index.html', new TextEncoder().encode('<html></html>'));
      return { exitCode: 0 };
    };
    expect((await noKeyIn(bundle, ctxFor(e))).status).toBe('pass');
  });
  it('fails with the build output when the build fails, and when no outDir is written', async () => {
    const e = new FakeEngine({});
    e.onRun = () => ({ exitCode: 1, output: 'SyntaxError: Unexpected token' });
    const r = await noKeyIn(bundle, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('exit code 1');
    expect(r.message).toContain('SyntaxError');
    const e2 = new FakeEngine({});
    const r2 = await noKeyIn(bundle, ctxFor(e2));
    expect(r2.message).toContain('no `dist/` folder');
  });
  it('builds once for two bundle checks in one pass', async () => {
    const e = new FakeEngine({});
    e.onRun = (_c, _a, eng) => {
      eng.files.set('dist/a.js', new TextEncoder().encode('ok'));
      return { exitCode: 0 };
    };
    const ctx = ctxFor(e);
    await noKeyIn(bundle, ctx);
    await noKeyIn(bundle, ctx);
    expect(e.commands.length).toBe(1);
  });
});
