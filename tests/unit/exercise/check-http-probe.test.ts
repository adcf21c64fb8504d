import { describe, expect, it, vi } from 'vitest';
import { testLeakCore } from './leak-core.ts';
vi.mock('../../../src/lib/exercise/leak.ts', async () => {
  const core = await testLeakCore();
  return { leakCore: async () => core };
});
import { httpProbe } from '../../../src/lib/exercise/checks/http-probe.ts';
import { FakeEngine } from './fake-engine.ts';
import { ctxFor, key, spec } from './helpers.ts';

const probe = spec({
  kind: 'http-probe',
  server: { command: 'node', args: ['server.js'] },
  request: { method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' },
  expect: { status: 200, bodyIncludes: ['reply'] },
});

describe('http-probe', () => {
  it('passes when the server answers as expected without the key', async () => {
    const e = new FakeEngine();
    e.onServer = (_req, res) => res.end('{"reply":"hello"}');
    const r = await httpProbe(probe, ctxFor(e));
    expect(r.status).toBe('pass');
  });
  it('fails when the key is in the body', async () => {
    const e = new FakeEngine();
    e.onServer = (_req, res) => res.end(`{"reply":"hi","debug":"${key}"}`);
    const r = await httpProbe(probe, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('response body of POST /api/chat');
    expect(JSON.stringify(r)).not.toContain(key);
  });
  it('fails when the key is in a header, even base64-encoded', async () => {
    const e = new FakeEngine();
    e.onServer = (_req, res) => {
      res.setHeader('x-debug', Buffer.from(key).toString('base64'));
      res.end('{"reply":"hi"}');
    };
    const r = await httpProbe(probe, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('response headers');
  });
  it('fails on a wrong status or a missing body text', async () => {
    const e = new FakeEngine();
    e.onServer = (_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    };
    const r = await httpProbe(probe, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('answered with status 500; it should answer 200');
    e.onServer = (_req, res) => res.end('{}');
    expect((await httpProbe(probe, ctxFor(e))).message).toContain('does not include "reply"');
  });
  it('fails with the reason when the server does not start', async () => {
    const e = new FakeEngine();
    e.startServer = async () => {
      throw new Error('it stopped with exit code 1');
    };
    const r = await httpProbe(probe, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('did not start: it stopped with exit code 1');
  });
});
