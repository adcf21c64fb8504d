// Small HTTP helpers for the workshop service: JSON replies, bounded JSON bodies, Bearer tokens.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reads a JSON body of at most `limit` bytes; refuses other content types, larger bodies and bad JSON with a clear reason. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, `Send the body as JSON with "Content-Type: application/json" (got ${type ? `"${type}"` : 'no Content-Type'}).`);
  const declared = Number(req.headers['content-length']);
  const tooBig = (n: number) => new HttpError(413, `The body is ${n} bytes or more; the limit is ${limit} bytes. Send check ids and statuses only, never files or output.`);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw tooBig(declared);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw tooBig(size);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `The body is not valid JSON: ${(e as Error).message}.`);
  }
}

/** The token of "Authorization: Bearer <token>", or null. */
export function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer ([A-Za-z0-9_-]{16,100})$/.exec(String(req.headers.authorization ?? ''));
  return m ? m[1]! : null;
}

/** Counts per key in a sliding minute (six 10-second buckets): events per room, failed joins per address. */
export class MinuteCounter {
  #buckets = new Map<string, Array<{ slot: number; n: number }>>();
  #live(key: string): Array<{ slot: number; n: number }> {
    const now = Math.floor(Date.now() / 10_000);
    const b = (this.#buckets.get(key) ?? []).filter((x) => x.slot > now - 6);
    if (b.at(-1)?.slot !== now) b.push({ slot: now, n: 0 });
    this.#buckets.set(key, b);
    return b;
  }
  /** Adds one and returns the count over the last minute, this one included. */
  hit(key: string): number {
    const b = this.#live(key);
    b.at(-1)!.n += 1;
    return b.reduce((t, x) => t + x.n, 0);
  }
  count(key: string): number {
    return this.#live(key).reduce((t, x) => t + x.n, 0);
  }
}
