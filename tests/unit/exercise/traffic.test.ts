// startTraffic against a real node:http server: it counts every answer, a failure by its status and
// a dropped connection as "no answer", and its rate stays bounded by workers / interval.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTraffic } from '../../../src/lib/exercise/traffic.ts';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

/** A server that answers 200, except while `broken` says otherwise (a status, or 'drop'). */
async function serve(state: { broken: number | 'drop' | null }): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (state.broken === 'drop') return req.socket.destroy();
      res.writeHead(state.broken ?? 200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startTraffic', () => {
  it('counts zero failures when every answer is 200, and numbers the bodies', async () => {
    const url = await serve({ broken: null });
    const bodies: string[] = [];
    const t = startTraffic({ fetch: (u, i) => fetch(u, i), url, body: (n) => (bodies.push(`m${n}`), `m${n}`), workers: 2, intervalMs: 5 });
    await t.settled(10, 5000);
    const r = await t.stop();
    expect(r.sent).toBeGreaterThanOrEqual(10);
    expect(r.failed).toBe(0);
    expect(r.samples.map((s) => s.n)).toEqual(Array.from({ length: r.sent }, (_, i) => i + 1));
    expect(new Set(bodies).size).toBe(bodies.length);
  });

  it('counts failed answers by status and dropped connections as "no answer"', async () => {
    const state: { broken: number | 'drop' | null } = { broken: null };
    const url = await serve(state);
    const t = startTraffic({ fetch: (u, i) => fetch(u, i), url, workers: 1, intervalMs: 5 });
    await t.settled(3, 5000);
    state.broken = 502;
    await sleep(40);
    state.broken = 'drop';
    await sleep(40);
    state.broken = null;
    await sleep(30);
    const r = await t.stop();
    expect(r.failures['502']).toBeGreaterThan(0);
    expect(r.failures['no answer']).toBeGreaterThan(0);
    expect(r.failed).toBe(r.failures['502']! + r.failures['no answer']!);
    expect(r.samples.at(-1)!.status).toBe(200);
  });

  it('settled() returns early on the first failure', async () => {
    const url = await serve({ broken: 401 });
    const t = startTraffic({ fetch: (u, i) => fetch(u, i), url, workers: 1, intervalMs: 5 });
    await t.settled(1000, 5000);
    const r = await t.stop();
    expect(r.sent).toBeLessThan(1000);
    expect(r.failures['401']).toBe(r.sent);
  });

  it('keeps each worker to one request per interval', async () => {
    const url = await serve({ broken: null });
    const t = startTraffic({ fetch: (u, i) => fetch(u, i), url, workers: 2, intervalMs: 50 });
    await sleep(500);
    const r = await t.stop();
    // 2 workers × (500 ms / 50 ms) = 20, plus the requests in flight when it stopped.
    expect(r.sent).toBeLessThanOrEqual(24);
  });
});
