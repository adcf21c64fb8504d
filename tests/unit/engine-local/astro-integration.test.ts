// `npm run dev`: the integration serves /__engine/ from Vite's middleware and puts the token into
// HTML pages (also when the page is written with writeHead + a content-length).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import localEngine from '../../../src/engines/local/astro-integration.ts';
import { signIn } from '../helpers/sign-in.ts';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
let server: Server;
let port: number;
const logged: string[] = [];
const page = '<!doctype html><html><head><title>x</title></head><body>hi</body></html>';

beforeAll(async () => {
  let mw: Middleware | null = null;
  const hook = localEngine().hooks['astro:server:setup'] as unknown as (o: unknown) => void;
  server = createServer((req, res) =>
    mw!(req, res, () => {
      if (req.url === '/data.json') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}');
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': String(Buffer.byteLength(page)) });
      res.write(page.slice(0, 20));
      res.end(page.slice(20));
    }),
  );
  hook({ server: { middlewares: { use: (f: Middleware) => (mw = f) }, httpServer: server }, logger: { info: (m: string) => logged.push(m) } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('astro dev integration', () => {
  it('injects the token into HTML with a correct length, leaves other responses alone', async () => {
    // Before signing in: the page carries no token.
    const anon = await (await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html' } })).text();
    expect(anon).not.toContain('leakproof-engine-token');
    const link = logged.map((m) => /(http:\/\/localhost:\d+\/__engine\/login\?token=\S+)/.exec(m)?.[1]).find(Boolean)!;
    expect(link).toBeTruthy();
    const cookie = await signIn(link.replace('localhost', '127.0.0.1').replace(/:\d+\//, `:${port}/`));
    expect(cookie).toBeTruthy();
    const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: 'text/html', cookie } });
    const html = await res.text();
    const token = /name="leakproof-engine-token" content="([^"]+)"/.exec(html)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(html.endsWith('<body>hi</body></html>')).toBe(true);
    expect(await (await fetch(`http://127.0.0.1:${port}/data.json`, { headers: { accept: 'text/html' } })).text()).toBe('{"a":1}');
    const ok = await fetch(`http://127.0.0.1:${port}/__engine/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-leakproof-token': token!, origin: `http://127.0.0.1:${port}`, cookie },
      body: JSON.stringify({ chapter: 'no-such-chapter' }),
    });
    expect(ok.status).toBe(404); // reached the engine: the token and origin were accepted
    const refused = await fetch(`http://127.0.0.1:${port}/__engine/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(403);
  });
});
