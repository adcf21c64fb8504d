// The mock platform under hostile input (issue 12): a malformed request gets 400, never 500, and
// the log of refused calls stays bounded however many (and however large) they are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { MAX_REJECTIONS, MAX_REJECTED_MODEL_CHARS } from '../../src/platform/state.ts';
import { startFixture, type Fixture } from './platform/helpers.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.platform.close();
});

/** A raw request, so the path goes on the wire exactly as written (fetch would re-encode it). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
  const url = new URL(fx.platform.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('malformed requests get 400', () => {
  it('messages: [null] and other non-object messages', async () => {
    for (const bad of [[null], [1], ['hi'], [{ role: 'user', content: 'x' }, null]]) {
      const r = await raw('POST', '/v1/chat/completions', { authorization: `Bearer ${fx.key}`, 'content-type': 'application/json' }, JSON.stringify({ model: 'gpt-4o-mini', messages: bad }));
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(JSON.parse(r.text).error.param).toMatch(/^messages\[\d\]$/);
    }
  });
  it('a malformed percent-encoding in the path (/v1, Admin API, course controls)', async () => {
    const auth = { authorization: `Bearer ${fx.key}` };
    expect((await raw('GET', '/v1/models/%', auth)).status).toBe(400);
    expect((await raw('GET', '/v1/organization/projects/%E0%A4%A', { authorization: `Bearer ${fx.admin}` })).status).toBe(400);
    const r = await raw('GET', '/__platform/keys/%zz', { authorization: `Bearer ${fx.platform.controlToken}` });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).error.message).toContain('percent-encoding');
    // and the platform still answers
    expect((await raw('GET', '/v1/models', auth)).status).toBe(200);
  });
});

describe('the log of refused calls is bounded', () => {
  it(`keeps the latest ${MAX_REJECTIONS}, cuts huge model names, and says how many it dropped`, async () => {
    const huge = 'm'.repeat(256 * 1024);
    const extra = 200;
    for (let i = 0; i < MAX_REJECTIONS + extra; i++) {
      // Every tenth: the planted key asks for an unknown (huge) model, which the log records; the
      // rest are refused for a wrong key.
      const big = i % 10 === 0;
      await raw('POST', '/v1/chat/completions', { authorization: `Bearer ${big ? fx.key : 'sk-wrong'}`, 'content-type': 'application/json' }, JSON.stringify({ model: big ? huge : 'gpt-4o-mini', messages: [] }));
    }
    const r = await raw('GET', '/__platform/rejections', { authorization: `Bearer ${fx.platform.controlToken}` });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    expect(body.data.length).toBe(MAX_REJECTIONS);
    expect(body.dropped).toBeGreaterThanOrEqual(extra);
    expect(body.limit).toBe(MAX_REJECTIONS);
    // Without the cut this listing was 100 × 256 KB = 25 MB; now far under 1 MB.
    expect(r.text.length).toBeLessThan(1024 * 1024);
    const clipped = body.data.find((x: { model: string | null }) => x.model?.startsWith('mmm'));
    expect(clipped.model.length).toBeLessThan(MAX_REJECTED_MODEL_CHARS + 50);
    expect(clipped.model).toContain('cut');
    // `after` still pages by seq although the log no longer starts at 1.
    const last = body.data.at(-1).seq;
    const tail = JSON.parse((await raw('GET', `/__platform/rejections?after=${last - 3}`, { authorization: `Bearer ${fx.platform.controlToken}` })).text);
    expect(tail.data.map((x: { seq: number }) => x.seq)).toEqual([last - 2, last - 1, last]);
  }, 60_000);
});
