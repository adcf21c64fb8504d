// Issue 5: the course server's session keeps one mock platform for a usesPlatform chapter, tells
// the page where it is ({ url, controlToken } for the dashboard panel) and closes it with the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { createLocalEngineHandler } from '../../../src/engines/local/http-handler.ts';
import type { LocalEngineHandler } from '../../../src/engines/local/http-handler.ts';
import { generatePlantedKey } from '../../../src/lib/exercise/planted-key.ts';
import { signIn } from '../helpers/sign-in.ts';

const token = 'test-token-' + 'p'.repeat(20);
let handler: LocalEngineHandler;
let server: Server;
let port: number;
let cookie = '';

/** POST to the engine; `firstLine` ends the request after the first NDJSON line and returns it. */
function call(path: string, body: unknown, firstLine = false): Promise<{ status: number; body: string }> {
  const headers = { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json', 'x-leakproof-token': token, cookie };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        if (firstLine && text.includes('\n')) {
          resolve({ status: res.statusCode ?? 0, body: text.slice(0, text.indexOf('\n')) });
          req.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', (e) => (firstLine ? undefined : reject(e)));
    req.end(JSON.stringify(body));
  });
}

const state = (url: string, auth?: string) => fetch(`${url}/__platform/state`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
const reachable = (url: string) => fetch(`${url}/v1/models`).then(() => true, () => false);

async function create(chapter: string, key?: string) {
  const r = await call('/__engine/sessions', key ? { chapter, key } : { chapter });
  expect(r.status, r.body).toBe(201);
  return JSON.parse(r.body) as { id: string; platform?: { url: string; controlToken: string } };
}

beforeAll(async () => {
  handler = createLocalEngineHandler({ token, root: process.cwd(), lessonsDir: 'lessons' });
  server = createServer((req, res) => (handler.handles(req) ? handler.handle(req, res) : res.end('page')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  cookie = await signIn(handler.signInUrl(`http://127.0.0.1:${port}`));
});

afterAll(async () => {
  await handler.close();
  server.close();
});

describe('the session platform of a usesPlatform chapter', () => {
  it('starts with the session, answers its control token (401 without), and stops with stop', async () => {
    const key = generatePlantedKey();
    const s = await create('01-habits', key);
    expect(s.platform?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.platform?.controlToken).toMatch(/^lpc_/);
    const { url, controlToken } = s.platform!;
    expect((await state(url)).status).toBe(401);
    expect((await state(url, 'wrong-token')).status).toBe(401);
    const ok = await state(url, controlToken);
    expect(ok.status).toBe(200);
    // The planted key is the chapter's project key, so the learner's script is accepted.
    const models = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    expect(handler.sessions().find((x) => x.id === s.id)?.platform).toBe(url);

    // The page (another origin, cross-origin isolated) may read it: CORS preflight and reply.
    const pre = await fetch(`${url}/__platform/state`, { method: 'OPTIONS', headers: { origin: `http://localhost:${port}`, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');

    expect((await call(`/__engine/sessions/${s.id}/stop`, {})).status).toBe(204);
    expect(await reachable(url)).toBe(false);
    expect(handler.sessions().find((x) => x.id === s.id)?.platform).toBeNull();
  });

  it('is told to the page on the first check when the session started without the key, and ends on leave', async () => {
    const s = await create('01-habits');
    expect(s.platform).toBeUndefined();
    const first = await call(`/__engine/sessions/${s.id}/check`, { files: { 'index.js': '' }, key: generatePlantedKey() }, true);
    expect(first.status).toBe(200);
    const line = JSON.parse(first.body) as { type: string; url: string; controlToken: string };
    expect(line.type).toBe('platform');
    expect((await state(line.url, line.controlToken)).status).toBe(200);
    expect((await call(`/__engine/sessions/${s.id}/leave`, {})).status).toBe(204);
    expect(await reachable(line.url)).toBe(false);
  }, 60_000);

  it('is not started for a chapter without usesPlatform, and a malformed key is refused', async () => {
    const other = createLocalEngineHandler({ token, root: process.cwd(), lessonsDir: 'tests/fixtures/exercises' });
    const srv = createServer((req, res) => other.handle(req, res));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const saved = port;
    const savedCookie = cookie;
    port = (srv.address() as { port: number }).port;
    try {
      cookie = await signIn(other.signInUrl(`http://127.0.0.1:${port}`));
      const s = await create('02-fixture-paste', generatePlantedKey());
      expect(s.platform).toBeUndefined();
      expect(other.sessions()[0]?.platform).toBeNull();
      expect((await call('/__engine/sessions', { chapter: '02-fixture-paste', key: 'not-a-key' })).status).toBe(400);
    } finally {
      port = saved;
      cookie = savedCookie;
      await other.close();
      srv.close();
    }
  });
});
