// The local engine's endpoint is for the page this server handed out, and nothing an exercise
// starts outlives it: refused requests run nothing; the user's environment never reaches an
// exercise; no process survives stop, leave, a time limit or the server stopping.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { createLocalEngineHandler } from '../../src/engines/local/http-handler.ts';
import type { LocalEngineHandler } from '../../src/engines/local/http-handler.ts';
import { generatePlantedKey } from '../../src/lib/exercise/planted-key.ts';
import { alive } from './helpers/process-alive.ts';
import { signIn } from './helpers/sign-in.ts';

const token = 'test-token-' + 'x'.repeat(20);
const root = process.cwd();
let handler: LocalEngineHandler;
let server: Server;
let port: number;
let cookie = '';

interface Res {
  status: number;
  body: string;
}

function call(path: string, o: { body?: unknown; headers?: Record<string, string>; onLine?: (line: Record<string, unknown>) => void } = {}): Promise<Res> {
  const body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body ?? {});
  const headers: Record<string, string> = {
    host: `127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    'content-type': 'application/json',
    'x-leakproof-token': token,
    cookie,
    ...o.headers,
  };
  for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers, setHost: false }, (res) => {
      let text = '';
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        pending += c;
        let i;
        while ((i = pending.indexOf('\n')) >= 0) {
          const l = pending.slice(0, i);
          pending = pending.slice(i + 1);
          if (l && o.onLine) o.onLine(JSON.parse(l));
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}


async function waitFor<T>(fn: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function newSession(chapter = '01-processes'): Promise<string> {
  const r = await call('/__engine/sessions', { body: { chapter } });
  expect(r.status).toBe(201);
  return JSON.parse(r.body).id;
}

/** Start the never-ending check; resolves with its pids once it printed them, plus the pending response. */
async function startForever(id: string, check = 'check') {
  let pids = null as number[] | null;
  const done = call(`/__engine/sessions/${id}/${check}`, {
    body: { files: { 'package.json': '{}', 'env.mjs': '', 'forever.mjs': FOREVER }, key: generatePlantedKey() },
    onLine: (l) => {
      const m = l.type === 'output' ? /started (\d+) (\d+)/.exec(String(l.text)) : null;
      if (m) pids = [Number(m[1]), Number(m[2])];
    },
  });
  const got: number[] = await waitFor(() => pids ?? undefined);
  return { pids: got, done };
}

const FOREVER = `import { spawn } from 'node:child_process';
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
console.log('started ' + process.pid + ' ' + child.pid);
setInterval(() => {}, 1000);`;

beforeAll(async () => {
  handler = createLocalEngineHandler({ token, root, lessonsDir: 'tests/fixtures/exercises/security', idleMs: 600 });
  server = createServer((req, res) => (handler.handles(req) ? handler.handle(req, res) : res.end('page')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  cookie = await signIn(handler.signInUrl(`http://127.0.0.1:${port}`));
  expect(cookie).toMatch(/^leakproof-\d+=/);
});

afterAll(async () => {
  await handler.close();
  server.close();
});

describe('refused requests run nothing', () => {
  afterEach(() => {
    expect(handler.sessions()).toEqual([]);
  });
  it('without the token', async () => {
    const r = await call('/__engine/sessions', { body: { chapter: '01-processes' }, headers: { 'x-leakproof-token': '' } });
    expect(r.status).toBe(403);
    expect(r.body).toContain('token');
  });
  it('with a wrong token', async () => {
    expect((await call('/__engine/sessions', { body: { chapter: '01-processes' }, headers: { 'x-leakproof-token': 'nope' } })).status).toBe(403);
  });
  it('from a foreign Origin', async () => {
    const r = await call('/__engine/sessions', { body: { chapter: '01-processes' }, headers: { origin: 'https://evil.example' } });
    expect(r.status).toBe(403);
    expect(r.body).toContain('evil.example');
    expect((await call('/__engine/sessions', { body: { chapter: '01-processes' }, headers: { origin: `http://localhost:${port + 1}` } })).status).toBe(403);
  });
  it('with a foreign Host (DNS rebinding)', async () => {
    const r = await call('/__engine/sessions', { body: { chapter: '01-processes' }, headers: { host: `evil.example:${port}`, origin: '' } });
    expect(r.status).toBe(403);
    expect(r.body).toContain('Host');
  });
  it('as a cross-site simple request (text/plain, form) or with cross-site fetch metadata', async () => {
    expect((await call('/__engine/sessions', { body: { chapter: '01-processes' }, headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await call('/__engine/sessions', { body: 'chapter=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await call('/__engine/sessions', { body: { chapter: '01-processes' }, headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
  });
  it('a leave beacon without the token in its body', async () => {
    const r = await call('/__engine/sessions/abc/leave', { body: JSON.stringify({ token: 'nope' }), headers: { 'content-type': 'text/plain', 'x-leakproof-token': '' } });
    expect(r.status).toBe(403);
  });
});

describe('accepted requests', () => {
  it('create a session for a known chapter, and 404 an unknown one with the list', async () => {
    const id = await newSession('1');
    expect(handler.sessions().map((s) => s.chapter)).toContain('01-processes');
    const r = await call('/__engine/sessions', { body: { chapter: '99' } });
    expect(r.status).toBe(404);
    expect(r.body).toContain('01-processes');
    await call(`/__engine/sessions/${id}/leave`);
  });
});

describe("the server's environment never reaches an exercise", () => {
  it('OPENAI_API_KEY and any other variable of the server are absent', async () => {
    const realish = `sk-proj-${'A'.repeat(60)}${'T3Blbk' + 'FJ'}${'B'.repeat(60)}`;
    process.env.OPENAI_API_KEY = realish;
    process.env.SECRET_X = 'do-not-leak-42';
    try {
      const id = await newSession();
      let env: Record<string, string> | null = null;
      let out = '';
      await call(`/__engine/sessions/${id}/check`, {
        body: { files: { 'env.mjs': 'console.log("ENV=" + JSON.stringify(process.env))', 'forever.mjs': '' }, key: generatePlantedKey() },
        onLine: (l) => {
          if (l.type === 'output') out += String(l.text);
          const m = /ENV=(\{.*\})/.exec(out);
          if (m && !env) env = JSON.parse(m[1]!);
        },
      }).catch(() => null);
      // The second check never ends; leaving ends it.
      await waitFor(() => env);
      await call(`/__engine/sessions/${id}/leave`);
      const e = env as unknown as Record<string, string>;
      expect(e.OPENAI_API_KEY).toBeUndefined();
      expect(e.SECRET_X).toBeUndefined();
      expect(JSON.stringify(e)).not.toContain('do-not-leak-42');
      expect(JSON.stringify(e)).not.toContain(realish);
      expect(e.PATH).toBeTruthy();
      expect(e.HOME).not.toBe(homedir());
    } finally {
      delete process.env.OPENAI_API_KEY;
      delete process.env.SECRET_X;
    }
  });
});

describe('no process is left', () => {
  it('after stop (reset)', async () => {
    const id = await newSession();
    const { pids, done } = await startForever(id);
    const groups = handler.sessions().find((s) => s.id === id)!.groups;
    expect(groups.length).toBeGreaterThan(0);
    expect((await call(`/__engine/sessions/${id}/stop`)).status).toBe(204);
    await done;
    expect(pids.filter(alive)).toEqual([]);
    await call(`/__engine/sessions/${id}/leave`);
  });
  it('after leave (a beacon: text/plain body with the token), and the workspace is deleted', async () => {
    const id = await newSession();
    const { pids, done } = await startForever(id);
    const ws = handler.sessions().find((s) => s.id === id)!.root!;
    expect(existsSync(ws)).toBe(true);
    const r = await call(`/__engine/sessions/${id}/leave`, { body: JSON.stringify({ token }), headers: { 'content-type': 'text/plain', 'x-leakproof-token': '' } });
    expect(r.status).toBe(204);
    await done;
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(ws)).toBe(false);
    expect(handler.sessions().find((s) => s.id === id)).toBeUndefined();
  });
  it("after a check's time limit", async () => {
    const id = await newSession('02-timeout');
    const { pids, done } = await startForever(id);
    const res = await done;
    const report = res.body.trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.type === 'report').report;
    expect(report.checks[0].status).toBe('error');
    expect(report.checks[0].message).toContain('time limit');
    await waitFor(() => pids.every((p) => !alive(p)) || undefined, 5000);
    await call(`/__engine/sessions/${id}/leave`);
  });
  it('after the session is idle (no heartbeat)', async () => {
    const id = await newSession();
    await call(`/__engine/sessions/${id}/check`, { body: { files: { 'env.mjs': '' , 'forever.mjs': 'process.exit(0)' }, key: generatePlantedKey() } });
    const ws = handler.sessions().find((s) => s.id === id)!.root!;
    await waitFor(() => !handler.sessions().some((s) => s.id === id) || undefined, 5000);
    // The session is dropped first, then its workspace is deleted.
    await waitFor(() => !existsSync(ws) || undefined, 5000);
    expect((await call(`/__engine/sessions/${id}/heartbeat`)).status).toBe(404);
  });
  it('when the server stops', async () => {
    const h2 = createLocalEngineHandler({ token, root, lessonsDir: 'tests/fixtures/exercises/security' });
    const old = handler;
    const oldCookie = cookie;
    handler = h2;
    try {
      cookie = await signIn(h2.signInUrl(`http://127.0.0.1:${port}`));
      const id = await newSession();
      const { pids, done } = await startForever(id);
      await h2.close();
      await done;
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      handler = old;
      cookie = oldCookie;
    }
  });
});
