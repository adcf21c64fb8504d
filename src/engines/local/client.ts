// Page side of the local engine: the token from the page, and requests to /__engine/ (same origin).
// No Node imports: this runs in the browser.
export const LOCAL_TOKEN_META = 'leakproof-engine-token';

export function readToken(doc: Pick<Document, 'querySelector'> = document): string | null {
  return doc.querySelector(`meta[name="${LOCAL_TOKEN_META}"]`)?.getAttribute('content') || null;
}

export class EngineHttpError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The session's mock platform: its origin and course-control token (for the dashboard panel). */
export interface PlatformInfo {
  url: string;
  controlToken: string;
}

export type StreamLine =
  | { type: 'platform'; url: string; controlToken: string }
  | { type: 'progress'; value: number; text: string }
  | { type: 'output'; text: string; stream: 'stdout' | 'stderr' }
  | { type: 'report'; report: import('../../lib/exercise/results.ts').CheckReport }
  | { type: 'error'; message: string };

export class LocalEngineClient {
  readonly token: string;
  readonly base: string;

  constructor(token: string, base = '/__engine/') {
    this.token = token;
    this.base = base;
  }

  private async request(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Leakproof-Token': this.token },
      body: JSON.stringify(body ?? {}),
      signal,
      credentials: 'same-origin',
    });
    if (!res.ok) {
      const text = await res.text();
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {}
      throw new EngineHttpError(res.status, message || `The local engine answered ${res.status}.`);
    }
    return res;
  }

  async createSession(chapter: string, signal?: AbortSignal): Promise<string> {
    return (await this.openSession(chapter, undefined, signal)).id;
  }

  /** With the planted key, a chapter that uses the mock platform gets it started at once. */
  async openSession(chapter: string, key?: string, signal?: AbortSignal): Promise<{ id: string; platform?: PlatformInfo }> {
    const res = await this.request('sessions', key ? { chapter, key } : { chapter }, signal);
    return (await res.json()) as { id: string; platform?: PlatformInfo };
  }

  async post(id: string, action: 'heartbeat' | 'stop' | 'leave'): Promise<void> {
    await this.request(`sessions/${encodeURIComponent(id)}/${action}`, {});
  }

  /** Ends a session as the page goes away: sendBeacon can only send a simple body, so the token is in it. */
  leaveBeacon(id: string): void {
    const body = new Blob([JSON.stringify({ token: this.token })], { type: 'text/plain' });
    navigator.sendBeacon?.(`${this.base}sessions/${encodeURIComponent(id)}/leave`, body);
  }

  /** Runs a check; every NDJSON line goes to `onLine` as it arrives. */
  async check(id: string, body: { files: Record<string, string>; key: string }, onLine: (l: StreamLine) => void, signal?: AbortSignal): Promise<void> {
    const res = await this.request(`sessions/${encodeURIComponent(id)}/check`, body, signal);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += value;
      let i;
      while ((i = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        if (line.trim()) onLine(JSON.parse(line) as StreamLine);
      }
    }
    if (pending.trim()) onLine(JSON.parse(pending) as StreamLine);
  }
}
