// Issue 12 against the real course server (scripts/serve.mjs as a process on a real port): bad
// addresses get 400 and never stop it, nothing outside the build folder is served, no other site
// may frame it, a build replaced while it runs gives 404s (not a crash), a busy port is named with
// the way out, and learner code cannot read the user's secrets from its parent's environment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePlantedKey } from '../../src/lib/exercise/planted-key.ts';
import { rawGet, signIn, startServe, type Served } from './helpers/serve-process.ts';

let parent: string;
let dist: string;
let served: Served;
let cookie: string;

function makeBuild(folder: string, marker: string) {
  mkdirSync(join(folder, '_astro'), { recursive: true });
  writeFileSync(join(folder, 'index.html'), `<!doctype html><html><head><title>t</title></head><body>${marker}</body></html>`);
  writeFileSync(join(folder, '_astro', 'app.js'), `console.log(${JSON.stringify(marker)});`.padEnd(4096, ' '));
}

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'lp-harden-'));
  dist = join(parent, 'dist');
  makeBuild(dist, 'course page');
  // A sibling folder whose name starts like the build folder's.
  makeBuild(join(parent, 'dist-other'), 'SIBLING SECRET');
  writeFileSync(join(parent, 'secret.txt'), 'OUTSIDE SECRET');
  served = await startServe(dist);
  cookie = await signIn(served.link);
  expect(cookie).toBeTruthy();
});

afterAll(async () => {
  await served?.stop();
  rmSync(parent, { recursive: true, force: true });
});

describe('malformed addresses', () => {
  it('get 400 and the server keeps running', async () => {
    for (const path of ['/%', '/%zz', '/chapters/%E0%A4%A', '/_astro/%']) {
      const r = await rawGet(served.port, path);
      expect(r.status, path).toBe(400);
    }
    expect((await rawGet(served.port, '/__engine/sessions/%')).status).toBeLessThan(500);
    expect(served.child.exitCode).toBeNull();
    expect((await rawGet(served.port, '/')).status).toBe(200);
  });
});

describe('files outside the build folder', () => {
  it('are never served, however the path is written', async () => {
    for (const path of ['/..%2Fdist-other/', '/..%2Fdist-other/index', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/../secret.txt', '/..%2F..%2F' + parent.slice(1) + '/secret.txt', '/_astro/..%2F..%2Fsecret.txt']) {
      const r = await rawGet(served.port, path);
      expect(r.body, path).not.toContain('SECRET');
      expect(r.status, path).not.toBe(200);
    }
  });
});

describe('framing', () => {
  it('every page, file and error refuses to be framed by another site', async () => {
    for (const path of ['/', '/_astro/app.js', '/no-such-page', '/%']) {
      const r = await rawGet(served.port, path, { cookie });
      expect(r.headers['x-frame-options'], path).toBe('DENY');
      expect(String(r.headers['content-security-policy']), path).toContain("frame-ancestors 'none'");
    }
  });
});

describe('a build replaced while the server runs', () => {
  it('serves what is there now; a file that went away is a 404, not a crash', async () => {
    const before = await rawGet(served.port, '/_astro/app.js');
    expect(before.status).toBe(200);
    rmSync(dist, { recursive: true, force: true });
    for (const path of ['/', '/_astro/app.js', '/chapters/x/']) {
      const r = await rawGet(served.port, path, { 'accept-encoding': 'gzip' });
      expect(r.status, path).toBe(404);
    }
    makeBuild(dist, 'rebuilt page');
    writeFileSync(join(dist, '_astro', 'new-chunk.js'), 'console.log("new")');
    expect((await rawGet(served.port, '/')).body).toContain('rebuilt page');
    expect((await rawGet(served.port, '/_astro/new-chunk.js')).status).toBe(200);
    expect(served.child.exitCode).toBeNull();
  });
});

describe('a busy port', () => {
  it('is named, with the way to pick another, and no stack trace (also before the build: --check-port)', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      for (const extra of [[], ['--check-port']]) {
        const r = spawnSync(process.execPath, ['scripts/serve.mjs', '--port', String(port), '--dir', dist, ...extra], { encoding: 'utf8', timeout: 30_000 });
        expect(r.status, r.stderr).toBe(1);
        expect(r.stderr).toContain(`Port ${port} is already in use`);
        expect(r.stderr).toContain(`PORT=${port + 1} npm start`);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      blocker.close();
    }
  }, 60_000);
});

describe("the server's own environment", () => {
  it("holds none of the user's secrets: learner code reading /proc/$PPID/environ finds nothing", async () => {
    const secret = 'user-secret-' + 'z'.repeat(16);
    const realish = `sk-proj-${'A'.repeat(40)}${'T3Blbk' + 'FJ'}${'B'.repeat(40)}`;
    const s = await startServe(dist, { OPENAI_API_KEY: realish, MY_TOKEN: secret, npm_config__authToken: secret });
    try {
      const c = await signIn(s.link);
      const html = (await rawGet(s.port, '/', { cookie: c })).body;
      const token = /name="leakproof-engine-token" content="([^"]+)"/.exec(html)![1]!;
      const headers = { 'content-type': 'application/json', 'x-leakproof-token': token, origin: `http://localhost:${s.port}`, cookie: c };
      const created = await fetch(`http://localhost:${s.port}/__engine/sessions`, { method: 'POST', headers, body: JSON.stringify({ chapter: '01-processes' }) });
      const { id } = (await created.json()) as { id: string };
      const env = "const fs = require('fs'); console.log('PARENT=' + JSON.stringify(fs.readFileSync('/proc/' + process.ppid + '/environ', 'latin1')));";
      const res = await fetch(`http://localhost:${s.port}/__engine/sessions/${id}/check`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ files: { 'env.mjs': `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); ${env}`, 'forever.mjs': 'process.exit(0)' }, key: generatePlantedKey() }),
      });
      const text = await res.text();
      const m = /PARENT=(".*?[^\\]")/.exec(text.split('\n').map((l) => (l ? (JSON.parse(l) as { text?: string }).text ?? '' : '')).join(''));
      expect(m, text.slice(0, 2000)).not.toBeNull();
      const parentEnv = JSON.parse(m![1]!) as string;
      expect(parentEnv).toContain('PATH=');
      expect(parentEnv).not.toContain(secret);
      expect(parentEnv).not.toContain(realish);
      expect(parentEnv).not.toContain('OPENAI_API_KEY');
    } finally {
      await s.stop();
    }
  }, 60_000);
});
