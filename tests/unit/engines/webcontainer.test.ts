// WebContainer engine logic over a fake container. What this does NOT show: that the real
// WebContainer boots, installs or serves on any machine (it cannot boot on these machines at all;
// see docs/hosted-engines.md).
import { afterEach, describe, expect, it } from 'vitest';
import { bootStatus, getWebContainer, isIOS, resetBootForTests, whyNotWebContainer, type BootFn } from '../../../src/engines/webcontainer/boot.ts';
import { lockfileHash, toTree, WebContainerEngine } from '../../../src/engines/webcontainer/engine.ts';
import { createSession } from '../../../src/engines/webcontainer/session.ts';
import { defineExercise } from '../../../src/lib/exercise/define.ts';
import { FakeWebContainer } from './fake-webcontainer.ts';
import { dec, newKey } from './helpers.ts';

const okFacts = { crossOriginIsolated: true, hasSharedArrayBuffer: true, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140', maxTouchPoints: 0 };
const never: BootFn = () => new Promise(() => {});

afterEach(() => resetBootForTests());

describe('boot', () => {
  it('times out a boot that never settles, with a plain reason, and stays failed until reload', async () => {
    let boots = 0;
    const boot: BootFn = () => {
      boots++;
      return new Promise(() => {});
    };
    const err = await getWebContainer({ boot, timeoutMs: 50, facts: okFacts }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/did not start within 0 s|did not start within/);
    expect((err as Error).message).toMatch(/StackBlitz/);
    expect((err as Error).message).toMatch(/npm start/);
    expect((err as Error).message).toMatch(/reload/);
    expect(bootStatus().state).toBe('failed');
    await expect(getWebContainer({ boot, timeoutMs: 50, facts: okFacts })).rejects.toThrow(/did not start/);
    expect(boots).toBe(1); // a second boot() would throw in a real page
  });

  it('tears down a container that boots after the time limit', async () => {
    const fake = new FakeWebContainer();
    let finish!: () => void;
    const boot: BootFn = () => new Promise((r) => (finish = () => r(fake)));
    await expect(getWebContainer({ boot, timeoutMs: 20, facts: okFacts })).rejects.toThrow();
    finish();
    await new Promise((r) => setTimeout(r, 10));
    expect(fake.torn).toBe(true);
  });

  it('boots once and reuses the container', async () => {
    const fake = new FakeWebContainer();
    let boots = 0;
    const boot: BootFn = async (o) => {
      boots++;
      expect(o.coep).toBe('require-corp');
      return fake;
    };
    const states: string[] = [];
    const a = await getWebContainer({ boot, facts: okFacts });
    const b = await getWebContainer({ boot, facts: okFacts });
    states.push(bootStatus().state);
    expect(a).toBe(b);
    expect(boots).toBe(1);
    expect(states).toEqual(['booted']);
    expect(fake.torn).toBe(false);
  });

  it('reports a boot error in words', async () => {
    await expect(getWebContainer({ boot: async () => Promise.reject(new Error('Unable to create more instances')), facts: okFacts })).rejects.toThrow(
      /could not start: Unable to create more instances.*npm start/,
    );
  });

  it.each([
    [{ ...okFacts, crossOriginIsolated: false }, /cross-origin isolated/],
    [{ ...okFacts, hasSharedArrayBuffer: false }, /SharedArrayBuffer/],
    [{ ...okFacts, userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1' }, /iPhone and iPad/],
    [{ ...okFacts, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/18.0 Safari/605.1.15', maxTouchPoints: 5 }, /iPhone and iPad/],
  ])('is blocked without booting: %j', async (facts, why) => {
    let boots = 0;
    await expect(getWebContainer({ boot: never, facts, timeoutMs: 10 }).catch((e) => ((boots += 0), Promise.reject(e)))).rejects.toThrow(why);
    expect(bootStatus().state).toBe('blocked');
    expect(boots).toBe(0);
  });

  it('allows a desktop Safari and Chrome', () => {
    expect(whyNotWebContainer(okFacts)).toBeNull();
    expect(isIOS({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Version/18.0 Safari/605.1.15', maxTouchPoints: 0 })).toBe(false);
  });
});

describe('WebContainerEngine', () => {
  const lock = '{"lockfileVersion":3,"packages":{}}';
  const files = { 'package.json': '{"name":"a","scripts":{"build":"vite build"}}', 'package-lock.json': lock, 'src/main.js': 'x' };

  function fakeWithNpm() {
    const fake = new FakeWebContainer();
    fake.scripts['npm ci --no-audit --no-fund --loglevel=error'] = (_c, io) => {
      io.write('added 3 packages\n');
      fake.mem.write('node_modules/dep/index.js', 'module.exports = 1');
      io.exit(0);
    };
    return fake;
  }

  it('turns a FileMap into a FileSystemTree', () => {
    expect(toTree({ 'a/b.txt': 'x', 'c.txt': 'y' })).toEqual({ a: { directory: { 'b.txt': { file: { contents: 'x' } } } }, 'c.txt': { file: { contents: 'y' } } });
    expect(() => toTree({ '../x': 'no' })).toThrow(/leaves the project/);
  });

  it('installs from the lockfile once, and again only when it changes', async () => {
    const fake = fakeWithNpm();
    const engine = new WebContainerEngine(fake);
    const progress: string[] = [];
    engine.options = { onProgress: (p) => progress.push(p.text) };
    await engine.mount(files);
    expect((await engine.install()).exitCode).toBe(0);
    expect(progress).toContain('installing dependencies');
    // Next chapter, same lockfile: node_modules kept, no second npm ci.
    await engine.mount({ 'package.json': files['package.json'], 'package-lock.json': lock, 'src/other.js': 'y' });
    expect(fake.mem.has('src/main.js')).toBe(false);
    expect(fake.mem.has('node_modules/dep/index.js')).toBe(true);
    const again = await engine.run('npm', ['ci']);
    expect(again.output).toMatch(/already installed/);
    expect(fake.calls.filter((c) => c.command === 'npm').length).toBe(1);
    // A different lockfile installs again.
    await engine.mount({ ...files, 'package-lock.json': '{"lockfileVersion":3,"packages":{"x":{}}}' });
    await engine.install();
    expect(fake.calls.filter((c) => c.command === 'npm').length).toBe(2);
    expect(await lockfileHash(files)).not.toBe(await lockfileHash({ ...files, 'package-lock.json': '{}' }));
  });

  it('streams output, passes env, never lets OPENAI_BASE_URL default to the real API', async () => {
    const fake = new FakeWebContainer();
    fake.scripts.node = (call, io) => {
      io.write('one\n');
      io.write(`base=${call.env.OPENAI_BASE_URL} x=${call.env.X}\n`);
      io.exit(3);
    };
    const engine = new WebContainerEngine(fake);
    const chunks: string[] = [];
    const r = await engine.run('node', ['a.js'], { env: { X: '1' }, onOutput: (c) => chunks.push(c) });
    expect(r.exitCode).toBe(3);
    expect(chunks.join('')).toBe(r.output);
    expect(r.output).toContain('base=http://127.0.0.1:9/v1 x=1');
  });

  it('kills a command at its time limit', async () => {
    const fake = new FakeWebContainer();
    fake.scripts.node = () => {};
    const engine = new WebContainerEngine(fake);
    const r = await engine.run('node', ['forever.js'], { timeoutMs: 30 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(fake.killed.length).toBe(1);
  });

  it('starts a server on PORT, waits for server-ready, and stopAll kills it', async () => {
    const fake = new FakeWebContainer();
    fake.scripts.node = (call, io) => {
      io.write('listening\n');
      io.serve(Number(call.env.PORT));
    };
    const engine = new WebContainerEngine(fake);
    const server = await engine.startServer('node', ['server.js']);
    expect(server.url).toBe(`https://fake-${server.port}.webcontainer-api.io`);
    expect(server.output()).toContain('listening');
    await engine.stopAll();
    expect(fake.killed.length).toBe(1);
  });

  it('reports a server that exits before it is ready', async () => {
    const fake = new FakeWebContainer();
    fake.scripts.node = (_c, io) => {
      io.write('Error: Cannot find module express\n');
      io.exit(1);
    };
    const engine = new WebContainerEngine(fake);
    await expect(engine.startServer('node', ['server.js'], { readyTimeoutMs: 1000 })).rejects.toThrow(/exit code 1 before it was ready[\s\S]*Cannot find module/);
  });

  it('reads files through the ReadonlyFs the leak detector uses', async () => {
    const fake = new FakeWebContainer();
    const engine = new WebContainerEngine(fake);
    await engine.mount({ 'dist/a.js': 'hello', 'x.txt': 'y' });
    expect((await engine.fs.readdir('')).map((e) => e.name).sort()).toEqual(['dist', 'x.txt']);
    expect(await engine.fs.stat('dist')).toEqual({ kind: 'dir', size: 0 });
    expect(await engine.fs.stat('dist/a.js')).toEqual({ kind: 'file', size: 5 });
    expect(dec.decode(await engine.fs.readFile('dist/a.js'))).toBe('hello');
  });
});

describe('WebContainer session (fake container)', () => {
  it('installs, runs the checks in the page, and reuses the install on the next check', async () => {
    const key = newKey();
    const fake = new FakeWebContainer();
    fake.scripts['npm ci --no-audit --no-fund --loglevel=error'] = (_c, io) => io.exit(0);
    fake.scripts['npm test'] = (_c, io) => {
      io.write('ok\n');
      io.exit(0);
    };
    const def = defineExercise({
      chapter: 'x',
      checks: [
        { id: 'src', kind: 'no-key-in', target: 'source', title: 'No key in source', hint: 'Use process.env.' },
        { id: 't', kind: 'run', command: 'npm', args: ['test'], expect: { exitCode: 0 }, title: 'tests', hint: 'fix' },
      ],
    });
    const session = await createSession({ chapter: 'x', loadDefinition: async () => def, boot: async () => fake, facts: okFacts });
    expect(session.engine).toBe('webcontainer');
    const files = { 'package.json': '{}', 'package-lock.json': '{}', '.gitignore': '.env\n', '.env': `OPENAI_API_KEY=${key}`, 'index.js': 'process.env.OPENAI_API_KEY' };
    const good = await session.check(files, key);
    if (good.checks[0]!.status === 'error') throw new Error(good.checks[0]!.message);
    expect(good.checks.map((c) => c.status)).toEqual(['pass', 'pass']);
    expect(good.passed).toBe(true);
    const bad = await session.check({ ...files, 'index.js': `const k = "${key}"` }, key);
    expect(bad.passed).toBe(false);
    expect(bad.checks[0]!.status).toBe('fail');
    expect(fake.calls.filter((c) => c.args[0] === 'ci').length).toBe(1);
  });
});

describe('mock platform inside the container (fake container)', () => {
  it('starts the packaged platform with the planted key, points OPENAI_BASE_URL at it, and stops it after the pass', async () => {
    const key = newKey();
    const fake = new FakeWebContainer();
    let seed = '';
    fake.scripts['node node_modules/.leakproof/platform.mjs'] = (call, io) => {
      seed = String(call.env.LEAKPROOF_PLATFORM_SEED);
      io.write('{"url":"http://127.0.0.1:4567","baseURL":"http://127.0.0.1:4567/v1","controlToken":"t"}\n');
    };
    fake.scripts['node app.js'] = (call, io) => {
      io.write(`base=${call.env.OPENAI_BASE_URL}\n`);
      io.exit(0);
    };
    const def = defineExercise({
      chapter: 'p',
      usesPlatform: true,
      checks: [{ id: 'app', kind: 'run', command: 'node', args: ['app.js'], expect: { exitCode: 0, outputIncludes: ['base=http://127.0.0.1:4567/v1'] }, title: 'app', hint: 'fix' }],
    });
    const session = await createSession({
      chapter: 'p',
      loadDefinition: async () => def,
      boot: async () => fake,
      facts: okFacts,
      platformCode: async () => new TextEncoder().encode('// packaged platform'),
    });
    const report = await session.check({ 'app.js': 'x' }, key);
    expect(report.checks[0]!.message).toBe('`node app.js` ran as expected.');
    expect(report.passed).toBe(true);
    expect(JSON.parse(seed).keys[0].value).toBe(key);
    expect(dec.decode(await fake.mem.readFile('node_modules/.leakproof/platform.mjs'))).toBe('// packaged platform');
    expect(fake.killed.some((c) => c.args[0] === 'node_modules/.leakproof/platform.mjs')).toBe(true);
  });
});
