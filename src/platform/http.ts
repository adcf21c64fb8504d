// Small node:http helpers: body reading, JSON and SSE replies, CORS. Plain node:http so the
// platform also runs inside WebContainer (no native modules, no frameworks).
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY = 4 * 1024 * 1024;

export class BodyTooLarge extends Error {}

/** The request body: parsed JSON, the raw text when it is not JSON, or undefined when empty. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BodyTooLarge('body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * CORS: the real API answers browsers too (chapter 3's starter calls it from the page), and the
 * dashboard panel calls the platform from the course page's origin. No cookies are involved:
 * every route needs a bearer key or the control token, so allowing any origin adds no access.
 */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const requested = req.headers['access-control-request-headers'];
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': typeof requested === 'string' ? requested : 'authorization, content-type',
    'access-control-expose-headers': '*',
    'access-control-max-age': '600',
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendSse(res: ServerResponse, status: number, frames: string[], headers: Record<string, string> = {}): void {
  // Replies are computed up front (deterministic), so one write carries every frame: the client
  // still parses a normal event stream, and a burst of tiny TCP writes is avoided.
  res.writeHead(status, { ...headers, connection: 'keep-alive' });
  res.end(frames.join(''));
}

/** The caller's address, without the IPv4-mapped IPv6 prefix. */
export function sourceAddress(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}
