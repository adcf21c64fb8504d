// The guard's rules one by one, and the token in the page.
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { checkRequest, tokenMatches } from '../../src/engines/local/guard.ts';
import { createLocalEngineHandler } from '../../src/engines/local/http-handler.ts';

function req(headers: Record<string, string>, method = 'POST', port = 4321): IncomingMessage {
  return { headers, method, socket: { localPort: port } } as unknown as IncomingMessage;
}
const good = { host: 'localhost:4321', origin: 'http://localhost:4321', 'content-type': 'application/json' };

describe('guard', () => {
  it('accepts our own page on localhost or 127.0.0.1', () => {
    expect(checkRequest(req(good)).ok).toBe(true);
    expect(checkRequest(req({ ...good, host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321' })).ok).toBe(true);
    expect(checkRequest(req({ ...good, 'content-type': 'application/json; charset=utf-8', 'sec-fetch-site': 'same-origin' })).ok).toBe(true);
  });
  it('refuses another Host, another port, or another Origin', () => {
    expect(checkRequest(req({ ...good, host: 'attacker.example:4321' })).status).toBe(403);
    expect(checkRequest(req({ ...good, host: 'localhost:9999' })).status).toBe(403);
    expect(checkRequest(req({ ...good, host: '' })).status).toBe(403);
    expect(checkRequest(req({ ...good, origin: 'http://localhost:4322' })).status).toBe(403);
    expect(checkRequest(req({ ...good, origin: 'null' })).status).toBe(403);
    expect(checkRequest(req({ ...good, origin: 'https://localhost:4321' })).status).toBe(403);
  });
  it('refuses cross-site fetch metadata, other methods and simple content types', () => {
    expect(checkRequest(req({ ...good, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(checkRequest(req({ ...good, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect(checkRequest(req(good, 'GET')).status).toBe(405);
    expect(checkRequest(req({ ...good, 'content-type': 'text/plain' })).status).toBe(415);
    expect(checkRequest(req({ ...good, 'content-type': 'multipart/form-data' })).status).toBe(415);
    expect(checkRequest(req({ ...good, 'content-type': 'text/plain' }), { allowTextPlain: true }).ok).toBe(true);
  });
  it('compares tokens in constant time and only as strings', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', undefined)).toBe(false);
    expect(tokenMatches('abc', ['abc'])).toBe(false);
  });
});

describe('injectToken', () => {
  const h = createLocalEngineHandler({ token: 'tok"<en', root: process.cwd() });
  it('adds an escaped meta tag to the head, or replaces an existing one', () => {
    expect(h.injectToken('<html><head><title>x</title></head></html>')).toContain('<meta name="leakproof-engine-token" content="tok&quot;&lt;en"></head>');
    const once = h.injectToken('<head><meta name="leakproof-engine-token" content=""></head>');
    expect(once.match(/leakproof-engine-token/g)).toHaveLength(1);
    expect(once).toContain('content="tok&quot;&lt;en"');
    void h.close();
  });
});
