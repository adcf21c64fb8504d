// The in-browser engine under H4's runChecks: the bundle check audits a real esbuild bundle, and
// checks that need a runtime are skipped, never passed.
import { describe, expect, it } from 'vitest';
import { buildCommandKind, InBrowserEngine } from '../../../src/engines/in-browser/engine.ts';
import { createSession } from '../../../src/engines/in-browser/session.ts';
import { isNeedsRuntimeError } from '../../../src/lib/exercise/engine.ts';
import { defineExercise, type ExerciseDefinition } from '../../../src/lib/exercise/define.ts';
import { runChecks } from '../../../src/lib/exercise/run-checks.ts';
import { dec, newKey, nodeBundler, viteStarter } from './helpers.ts';

const key = newKey();
const secret = newKey();

const def: ExerciseDefinition = defineExercise({
  chapter: '99-test',
  checks: [
    {
      id: 'bundle',
      kind: 'no-key-in',
      target: 'bundle',
      title: 'The built client holds no key',
      hint: 'Move the call to a server.',
      build: { command: 'npm', args: ['run', 'build'], outDir: 'dist' },
    },
    { id: 'env-file', kind: 'file', path: '.env', exists: true, title: '.env exists', hint: 'Keep the key in .env.' },
    {
      id: 'proxy',
      kind: 'http-probe',
      title: 'The proxy answers',
      hint: 'Add /api/chat.',
      server: { command: 'node', args: ['server.js'] },
      request: { path: '/api/chat', method: 'POST', body: '{}' },
      expect: { status: 200 },
    },
    { id: 'tests', kind: 'run', command: 'npm', args: ['test'], expect: { exitCode: 0 }, title: 'Tests pass', hint: 'Run npm test.' },
  ],
});

const fixed = viteStarter(key, secret, {
  '.env': `OPENAI_API_KEY=${key}\n`,
  'src/api.js': "export async function ask(q) { const r = await fetch('/api/chat', { method: 'POST', body: JSON.stringify({ q }) }); return r.json(); }\n",
});

describe('InBrowserEngine', () => {
  it('builds with npm run build into its in-memory dist/', async () => {
    const engine = new InBrowserEngine({ bundler: nodeBundler });
    await engine.mount(viteStarter(key, secret));
    const out: string[] = [];
    const r = await engine.run('npm', ['run', 'build'], { onOutput: (c) => out.push(c) });
    expect(r.exitCode).toBe(0);
    expect((await engine.fs.stat('dist')).kind).toBe('dir');
    const assets = await engine.fs.readdir('dist/assets');
    const js = assets.find((e) => e.name.endsWith('.js'))!;
    expect(dec.decode(await engine.fs.readFile(`dist/assets/${js.name}`))).toContain(key);
    expect(out.join('')).toMatch(/esbuild-wasm/);
  });

  it('a second build replaces the previous output', async () => {
    const engine = new InBrowserEngine({ bundler: nodeBundler });
    await engine.mount(viteStarter(key, secret));
    await engine.run('npm', ['run', 'build']);
    await engine.mount({ ...fixed, 'dist/assets/stale.js': `"${key}"` });
    await engine.run('npm', ['run', 'build']);
    expect(engine.fs.has('dist/assets/stale.js')).toBe(false);
  });

  it('refuses other commands and servers with NeedsRuntimeError', async () => {
    const engine = new InBrowserEngine({ bundler: nodeBundler });
    await engine.mount(fixed);
    await expect(engine.run('node', ['server.js'])).rejects.toSatisfy(isNeedsRuntimeError);
    await expect(engine.startServer('node', ['server.js'])).rejects.toThrow(/needs a runtime.*npm start/);
    await expect(engine.fetch('http://x/')).rejects.toSatisfy(isNeedsRuntimeError);
  });

  it.each([
    ['npm', ['run', 'build'], '{"scripts":{"build":"vite build"}}', 'vite'],
    ['npm', ['run', 'build'], '{"scripts":{"build":"tsc && vite build --mode x"}}', 'vite'],
    ['npm', ['run', 'build'], '{"scripts":{"build":"vite"}}', 'vite'],
    ['npm', ['run', 'build'], '{"scripts":{"build":"next build"}}', 'other'],
    ['npx', ['vite', 'build'], undefined, 'vite'],
    ['pnpm', ['build'], '{"scripts":{"build":"vite build"}}', 'vite'],
    ['npm', ['test'], '{"scripts":{"build":"vite build"}}', 'other'],
    ['node', ['build.js'], undefined, 'other'],
  ] as const)('%s %j with %s → %s', (cmd, args, pkg, want) => {
    expect(buildCommandKind(cmd, [...args], pkg)).toBe(want);
  });
});

describe('runChecks over the in-browser engine', () => {
  it('starter: the bundle check fails on the VITE_ key; runtime checks are skipped, not passed', async () => {
    const engine = new InBrowserEngine({ bundler: nodeBundler });
    const files = viteStarter(key, secret);
    const report = await runChecks(def, { engine, key, files });
    const by = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(report.engine).toBe('in-browser');
    expect(by.bundle!.status).toBe('fail');
    expect(by.bundle!.evidence?.[0]?.file).toMatch(/assets\/index-.*\.js/);
    expect(JSON.stringify(report)).not.toContain(key);
    expect(by['env-file']!.status).toBe('pass');
    expect(by.proxy!.status).toBe('skipped');
    expect(by.proxy!.message).toMatch(/needs a runtime/);
    expect(by.tests!.status).toBe('skipped');
    expect(report.passed).toBe(false);
  });

  it('solution: the bundle check passes, yet the exercise is not passed while checks are skipped', async () => {
    const engine = new InBrowserEngine({ bundler: nodeBundler });
    const report = await runChecks(def, { engine, key, files: fixed });
    const by = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(by.bundle!.status).toBe('pass');
    expect(by.proxy!.status).toBe('skipped');
    expect(report.passed).toBe(false);
  });

  it('through a session (as the page uses it), with progress events', async () => {
    const session = await createSession({
      chapter: '99-test',
      bundler: nodeBundler,
      loadDefinition: async () => ({ ...def, checks: def.checks.slice(0, 2) }),
      reason: 'WebContainer did not start within 3 s.',
    });
    expect(session.engine).toBe('in-browser');
    expect(session.reason).toMatch(/^WebContainer did not start within 3 s\. .*needs a runtime.*npm start/);
    const progress: string[] = [];
    session.on('progress', (p) => progress.push(p.text));
    const bad = await session.check(viteStarter(key, secret), key);
    expect(bad.passed).toBe(false);
    const good = await session.check(fixed, key);
    expect(good.passed).toBe(true);
    expect(progress.some((t) => /check 1\/2/.test(t))).toBe(true);
    await session.dispose();
  });
});
