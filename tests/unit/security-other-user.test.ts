// Issue 12, item 1: another account on the same machine can reach loopback, but may not drive the
// course's local engine. A real second Unix user (created for the test; needs root and useradd)
// fetches the page (it carries no token), and even with the stolen token, cookie and a fresh
// sign-in link it is refused; the owner, with the same values, gets in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawGet, signIn, startServe, type Served } from './helpers/serve-process.ts';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const useradd = ['/usr/sbin/useradd', '/sbin/useradd'].find((f) => existsSync(f));
// A Node the other account may run (ours may live in root's home, e.g. under ~/.npm/_npx).
const otherNode = ['/usr/bin/node', '/usr/local/bin/node'].find((f) => existsSync(f));
const why = process.platform !== 'linux' ? 'not Linux' : !isRoot ? 'not root (creating a second user needs root)' : !useradd ? 'useradd is missing' : !otherNode ? 'no system-wide node for the second user' : null;

const user = `lpother${process.pid % 100000}`;
let uid = 0;
let gid = 0;
let parent: string;
let served: Served;

/** Runs `script` (ESM, top-level await) as the second user; returns what it printed as JSON. */
function asOther(script: string, input: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(otherNode!, ['--input-type=module', '-e', script], { uid, gid, env: { PATH: '/usr/bin:/bin', INPUT: JSON.stringify(input) }, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`as ${user}: exit ${code}: ${err}`))));
  });
}

const OTHER = `
const { port, token, cookie, link } = JSON.parse(process.env.INPUT);
const base = 'http://localhost:' + port;
const page = await fetch(base + '/').then((r) => r.text(), (e) => 'unreachable: ' + e.message);
const headers = { 'content-type': 'application/json', 'x-leakproof-token': token, origin: base, cookie };
const stolen = await fetch(base + '/__engine/sessions', { method: 'POST', headers, body: JSON.stringify({ chapter: '01-processes' }) });
const login = await fetch(link, { redirect: 'manual' });
console.log(JSON.stringify({ pageHasToken: page.includes('leakproof-engine-token"'), pageReached: !page.startsWith('unreachable'), page: page.slice(0, 300), stolen: stolen.status, stolenBody: await stolen.text(), login: login.status, loginCookie: login.headers.get('set-cookie') }));
`;

describe.skipIf(why !== null)(`another local account${why ? ` (skipped: ${why})` : ''}`, () => {
  beforeAll(async () => {
    execFileSync(useradd!, ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
    uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
    accessSync(otherNode!, constants.X_OK);
    parent = mkdtempSync(join(tmpdir(), 'lp-other-'));
    mkdirSync(join(parent, 'dist'));
    writeFileSync(join(parent, 'dist', 'index.html'), '<!doctype html><html><head><title>t</title></head><body>course</body></html>');
    served = await startServe(join(parent, 'dist'));
  }, 60_000);

  afterAll(async () => {
    await served?.stop();
    if (parent) rmSync(parent, { recursive: true, force: true });
    try {
      execFileSync('userdel', [user], { stdio: 'ignore' });
    } catch {}
  });

  it('cannot read the token, and is refused even with the stolen token, cookie and a fresh sign-in link', async () => {
    const cookie = await signIn(served.link);
    const html = (await rawGet(served.port, '/', { cookie })).body;
    const token = /name="leakproof-engine-token" content="([^"]+)"/.exec(html)?.[1];
    expect(token).toBeTruthy();
    // A fresh one-time link: the server prints a new one after each sign-in.
    const link = [...served.output().matchAll(/(http:\/\/localhost:\d+\/__engine\/login\?token=\S+)/g)].at(-1)![1]!;
    expect(link).not.toBe(served.link);

    const seen = await asOther(OTHER, { port: served.port, token, cookie, link });
    expect(seen.pageHasToken).toBe(false);
    expect(seen.stolen, String(seen.stolenBody)).toBe(403);
    expect(String(seen.stolenBody)).toContain('another account');
    expect(seen.login).toBe(403);
    expect(seen.loginCookie).toBeNull();

    // The owner, with exactly the same values, gets in (so the refusal above was about the account).
    const mine = await fetch(`http://localhost:${served.port}/__engine/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-leakproof-token': token!, origin: `http://localhost:${served.port}`, cookie },
      body: JSON.stringify({ chapter: '01-processes' }),
    });
    expect(mine.status).toBe(201);
    // The link the other account tried is still unused, so it still works for the owner.
    expect(await signIn(link)).toBeTruthy();
  }, 60_000);

  it('without the peer check, the sign-in cookie alone keeps it out: the page it gets has no token', async () => {
    const seen = await asOther(OTHER, { port: served.port, token: 'guess', cookie: '', link: `http://localhost:${served.port}/__engine/login?token=guess` });
    expect(seen.pageHasToken).toBe(false);
    expect(seen.stolen).toBe(403);
    expect(seen.login).toBe(403);
  }, 30_000);
});
