// NodeEngine on real processes: bounded output and time, environment from scratch, a server it
// waits for, process groups that end, and dependencies installed once per lockfile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeEngine } from '../../../src/engines/local/node-engine.ts';
import { groupAlive } from '../../../src/engines/local/processes.ts';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await NodeEngine.create({ maxOutputBytes: 64 * 1024 });
});
afterAll(async () => {
  await engine.dispose();
});

describe('NodeEngine', () => {
  it('mounts files into a private workspace and runs commands in it', async () => {
    await engine.mount({ 'a.mjs': 'import { readFileSync } from "node:fs"; console.log(readFileSync("data/x.txt", "utf8"))', 'data/x.txt': 'hello' });
    expect((lstatSync(join(engine.root, '..')).mode & 0o777).toString(8)).toBe('700');
    const r = await engine.run('node', ['a.mjs']);
    expect(r).toMatchObject({ exitCode: 0, timedOut: false, truncated: false });
    expect(r.output).toContain('hello');
  });
  it('refuses paths outside the workspace', async () => {
    await expect(engine.writeFile('../escape.txt', 'x')).rejects.toThrow(/outside the workspace/);
  });
  it('bounds output with a clear message', async () => {
    await engine.mount({});
    const r = await engine.run('node', ['-e', 'process.stdout.write("x".repeat(300000))']);
    expect(r.truncated).toBe(true);
    expect(r.output).toContain('[output truncated');
    expect(r.output.length).toBeLessThan(70 * 1024);
  });
  it('bounds run time, naming the limit, and kills the whole process group', async () => {
    let pgid = 0;
    const r = await engine.run('node', ['-e', 'require("child_process").spawn(process.execPath,["-e","setInterval(()=>{},1000)"],{stdio:"ignore"}); console.log(process.pid); setInterval(()=>{},1000)'], {
      timeoutMs: 2500,
      onOutput: (t) => (pgid ||= Number(t.trim())),
    });
    expect(r.timedOut).toBe(true);
    expect(r.output).toContain('ran longer than its limit of 2.5 s');
    expect(pgid).toBeGreaterThan(0);
    expect(groupAlive(pgid)).toBe(false);
  });
  it('reports a command that does not exist', async () => {
    const r = await engine.run('no-such-command-xyz', []);
    expect(r.exitCode).toBe(null);
    expect(r.output).toContain('could not start');
  });
  it('starts only from an environment built from scratch', async () => {
    process.env.SECRET_FOR_TEST = 'nope';
    try {
      const env = engine.environment();
      expect(env.SECRET_FOR_TEST).toBeUndefined();
      expect(Object.keys(env).sort()).toEqual(expect.arrayContaining(['HOME', 'PATH', 'LANG']));
      const r = await engine.run('node', ['-e', 'console.log(process.env.SECRET_FOR_TEST ?? "absent", process.env.OPENAI_BASE_URL ?? "no-platform")']);
      expect(r.output).toContain('absent no-platform');
      engine.setPlatformBaseUrl('http://127.0.0.1:1/v1');
      expect((await engine.run('node', ['-e', 'console.log(process.env.OPENAI_BASE_URL)'])).output).toContain('http://127.0.0.1:1/v1');
    } finally {
      engine.setPlatformBaseUrl(undefined);
      delete process.env.SECRET_FOR_TEST;
    }
  });
  it('starts a server on PORT and waits until it accepts connections', async () => {
    await engine.mount({ 's.mjs': 'import http from "node:http"; setTimeout(() => http.createServer((q, r) => r.end("up")).listen(process.env.PORT, "127.0.0.1"), 300)' });
    const s = await engine.startServer('node', ['s.mjs']);
    expect(await (await engine.fetch(s.url)).text()).toBe('up');
    await s.stop();
    await expect(engine.fetch(s.url)).rejects.toThrow();
  });
  it('says why a server did not start', async () => {
    await engine.mount({ 'bad.mjs': 'console.error("boom: missing module"); process.exit(3)' });
    await expect(engine.startServer('node', ['bad.mjs'])).rejects.toThrow(/exit code 3[\s\S]*boom: missing module/);
  });
  it('stopAll ends every process it started', async () => {
    await engine.mount({ 's.mjs': '(await import("node:http")).createServer((q, r) => r.end("up")).listen(process.env.PORT, "127.0.0.1")' });
    await engine.startServer('node', ['s.mjs']);
    const groups = engine.processGroups();
    expect(groups.length).toBe(1);
    await engine.stopAll();
    expect(groups.filter(groupAlive)).toEqual([]);
  });
});

describe('npm scripts', () => {
  it('runs `npm run x` / `npm start` like npm (lifecycle variables, node_modules/.bin on PATH) and falls back to npm for hooks', async () => {
    await engine.mount({
      'package.json': JSON.stringify({ name: 'p', version: '1.2.3', scripts: { build: 'node -e "console.log(process.env.npm_lifecycle_event, process.env.npm_package_version, process.env.PATH.split(\':\')[0].endsWith(\'node_modules/.bin\'))"', start: 'echo started', prelint: 'echo pre', lint: 'echo lint' } }),
    });
    expect((await engine.run('npm', ['run', 'build'])).output).toContain('build 1.2.3 true');
    expect((await engine.run('npm', ['start'])).output).toContain('started');
    const hooked = await engine.run('npm', ['run', 'lint']);
    expect(hooked.output).toContain('pre');
    expect(hooked.output).toContain('lint');
    const missing = await engine.run('npm', ['run', 'nope']);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.output).toContain('Missing script');
  }, 60_000);
});

describe('dependencies', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'lp-cache-test-'));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  // A dependency from a tarball on disk, locked by a real `npm install --package-lock-only`: a real
  // `npm ci`, and no network.
  let files: Record<string, string>;
  beforeAll(() => {
    const work = mkdtempSync(join(tmpdir(), 'lp-dep-'));
    mkdirSync(join(work, 'dep'));
    writeFileSync(join(work, 'dep', 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0', main: 'index.js' }));
    writeFileSync(join(work, 'dep', 'index.js'), 'module.exports = "dep works";');
    execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: join(work, 'dep'), stdio: 'pipe' });
    const tgz = join(work, 'dep-1.0.0.tgz');
    mkdirSync(join(work, 'app'));
    const pkg = JSON.stringify({ name: 'p', version: '1.0.0', dependencies: { dep: `file:${tgz}` } });
    writeFileSync(join(work, 'app', 'package.json'), pkg);
    execFileSync('npm', ['install', '--package-lock-only', '--offline', '--no-audit', '--no-fund'], { cwd: join(work, 'app'), stdio: 'pipe', env: { ...process.env, npm_config_cache: join(cacheDir, 'npm') } });
    files = { 'package.json': pkg, 'package-lock.json': readFileSync(join(work, 'app', 'package-lock.json'), 'utf8'), 'use.cjs': 'console.log(require("dep"))' };
  });

  it('installs once per lockfile into the cache, links node_modules, and skips npm ci afterwards', async () => {
    const e1 = await NodeEngine.create({ cacheDir });
    const e2 = await NodeEngine.create({ cacheDir });
    try {
      const out: string[] = [];
      e1.setListeners({ onOutput: (t) => out.push(t) });
      await e1.mount(files);
      expect(lstatSync(join(e1.root, 'node_modules')).isSymbolicLink()).toBe(true);
      const r1 = await e1.run('node', ['use.cjs']);
      expect(r1.output, out.join('')).toContain('dep works');
      // Second workspace, same lockfile: linked from the cache, and `npm ci` is answered from it.
      await e2.mount(files);
      const ci = await e2.run('npm', ['ci', '--no-audit']);
      expect(ci.exitCode).toBe(0);
      expect(ci.output).toContain('already installed (cache)');
      expect(existsSync(join(e2.root, 'node_modules'))).toBe(true);
      // Files under node_modules/ in a FileMap are never written through the link into the cache.
      await e2.mount({ ...files, 'node_modules/dep/index.js': 'module.exports = "poisoned"' });
      expect((await e2.run('node', ['use.cjs'])).output).toContain('dep works');
    } finally {
      await e1.dispose();
      await e2.dispose();
    }
  }, 120_000);
});
