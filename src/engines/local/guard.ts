// Who may use the local engine: only pages this server handed out. Every request must come to a
// loopback Host (DNS rebinding: an attacker's domain resolving to 127.0.0.1 keeps its own Host),
// from our own Origin (a cross-site page cannot send Origin: http://localhost:PORT), with a JSON
// content type (a cross-site "simple request" cannot set one without a preflight, which we never
// answer) and the per-start token (only embedded in our pages).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface GuardResult {
  ok: boolean;
  status: number;
  reason: string;
}

const ok: GuardResult = { ok: true, status: 200, reason: '' };

export function allowedHosts(port: number): string[] {
  return [`localhost:${port}`, `127.0.0.1:${port}`];
}

export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Host, Origin, fetch metadata and content type; the token is checked by the caller (it may be in the body). */
export function checkRequest(req: IncomingMessage, options: { allowTextPlain?: boolean } = {}): GuardResult {
  const port = req.socket.localPort ?? 0;
  const hosts = allowedHosts(port);
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.includes(host)) return { ok: false, status: 403, reason: `refused: Host "${host}" is not this machine's course server` };
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.map((h) => `http://${h}`).includes(origin.toLowerCase())) {
    return { ok: false, status: 403, reason: `refused: requests from ${origin} may not use the local engine` };
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { ok: false, status: 403, reason: 'refused: cross-site request' };
  if (req.method !== 'POST') return { ok: false, status: 405, reason: 'use POST' };
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !(options.allowTextPlain && type === 'text/plain')) {
    return { ok: false, status: 415, reason: 'refused: the body must be application/json' };
  }
  return ok;
}
