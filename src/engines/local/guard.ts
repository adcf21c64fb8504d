// Who may use the local engine: only pages this server handed out. Every request must come to a
// loopback Host (DNS rebinding: an attacker's domain resolving to 127.0.0.1 keeps its own Host),
// from our own Origin (a cross-site page cannot send Origin: http://localhost:PORT), with a JSON
// content type (a cross-site "simple request" cannot set one without a preflight, which we never
// answer) and the per-start token (only embedded in our pages).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { readFileSync } from 'node:fs';

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

// ── Who is on the other end of the socket (Linux) ─────────────────────────────────────────────
// Every local account can connect to 127.0.0.1. On Linux the kernel lists each TCP socket with
// its owner's uid in /proc/net/tcp{,6}: the client's end of a loopback connection is the entry
// whose local address is the peer's and whose remote address is ours. A connection from another
// account is refused outright, before any cookie or token is looked at (defence in depth: the
// sign-in cookie alone already keeps others out). Unknown (not Linux, the browser in another
// network namespace) → null, and the cookie decides alone.
const peerCache = new WeakMap<Socket, number | null>();

function hexPort(p: number): string {
  return p.toString(16).toUpperCase().padStart(4, '0');
}

/** IPv4 "127.0.0.1" as /proc/net/tcp prints it on this machine (a 32-bit word in host order). */
function hexIPv4(addr: string): string | null {
  const parts = addr.replace(/^::ffff:/, '').split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !(n >= 0 && n <= 255))) return null;
  const b = Buffer.from(parts);
  return (new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? b.reverse() : b).toString('hex').toUpperCase();
}

/** The uid owning the client end of this loopback connection, or null when it cannot be known. */
export function peerUid(socket: Socket): number | null {
  if (peerCache.has(socket)) return peerCache.get(socket)!;
  let uid: number | null = null;
  if (process.platform === 'linux' && socket.remotePort && socket.localPort) {
    const peer = `${hexPort(socket.remotePort)}`;
    const ours = `${hexPort(socket.localPort)}`;
    const peerIp = hexIPv4(socket.remoteAddress ?? '');
    const ourIp = hexIPv4(socket.localAddress ?? '');
    const uids = new Set<number>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      let text = '';
      try {
        text = readFileSync(table, 'latin1');
      } catch {
        continue;
      }
      for (const line of text.split('\n').slice(1)) {
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid …
        const f = line.trim().split(/\s+/);
        if (f.length < 8) continue;
        const [lAddr, lPort] = f[1]!.split(':');
        const [rAddr, rPort] = f[2]!.split(':');
        if (lPort !== peer || rPort !== ours) continue;
        if (table === '/proc/net/tcp' && peerIp && ourIp && (lAddr !== peerIp || rAddr !== ourIp)) continue;
        uids.add(Number(f[7]));
      }
    }
    // Two owners for one address pair cannot happen; if it ever seems to, trust neither.
    uid = uids.size === 1 ? [...uids][0]! : uids.size > 1 ? -1 : null;
  }
  peerCache.set(socket, uid);
  return uid;
}

/** Refuses a connection owned by another account of this machine (null: allowed, unknown). */
export function checkPeer(socket: Socket): GuardResult {
  const uid = peerUid(socket);
  const me = typeof process.getuid === 'function' ? process.getuid() : null;
  if (uid === null || me === null || uid === me) return ok;
  return {
    ok: false,
    status: 403,
    reason: 'refused: this course server belongs to another account on this computer. Start your own with `npm start` (pick a free port with `PORT=4322 npm start`).',
  };
}

/** The sign-in cookie's name: cookies ignore the port, so each server's port is part of it. */
export function cookieName(port: number): string {
  return `leakproof-${port}`;
}

export function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}
