// A client for a platform's course controls (/__platform/), for the dashboard panel and tests.
// Pure: global fetch only, no node:* and no DOM, so it runs in the page, in Node and in workers.
import type { KeyView, LedgerEntry, PlatformEvent, PlatformSnapshot, ProjectView, Rejection } from './types.ts';

/** Where a platform is and how to drive it: what the engine hands to the page. */
export interface PlatformConnection {
  /** http://127.0.0.1:PORT (no /v1) */
  url: string;
  controlToken: string;
}

export type StreamMessage =
  | { kind: 'hello'; data: { now: number; counts: PlatformSnapshot['counts'] } }
  | { kind: 'event'; data: PlatformEvent }
  | { kind: 'ledger'; data: LedgerEntry }
  | { kind: 'rejection'; data: Rejection };

export class PlatformClientError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface CreateKeyOptions {
  projectId?: string;
  name?: string;
  kind?: 'project' | 'service_account' | 'admin';
  /** [] = All permissions. */
  scopes?: string[];
  /** For a service_account key: its account (default: a new one named after the key). */
  serviceAccountId?: string;
  expiresInSeconds?: number;
}

export interface ProjectPatch {
  name?: string;
  allowedModels?: string[] | null;
  spendLimitUsd?: number | null;
  spendAlertsUsd?: number[];
  /** Alerts with their email recipients (instead of spendAlertsUsd). */
  spendAlerts?: Array<{ thresholdUsd: number; recipients?: string[] }>;
  /** Addresses / IPv4 CIDR ranges; null = any address. */
  ipAllowlist?: string[] | null;
  rateLimits?: Array<{ model: string; maxRequestsPer1Minute?: number; maxTokensPer1Minute?: number }>;
}

export interface BurstOptions {
  /** Key id or value; default the first project key (the planted one). */
  key?: string;
  count?: number;
  model?: string;
  promptTokens?: number;
  maxTokens?: number;
  source?: string;
}

/** Split SSE text into complete messages; `rest` is an unfinished tail to keep for the next chunk. */
export function parseSse(buffer: string): { messages: Array<{ event: string; data: string }>; rest: string } {
  const messages: Array<{ event: string; data: string }> = [];
  const normalized = buffer.replace(/\r\n/g, '\n');
  const blocks = normalized.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) messages.push({ event, data: data.join('\n') });
  }
  return { messages, rest };
}

export class PlatformClient {
  readonly connection: PlatformConnection;
  private readonly fetchImpl: typeof fetch;

  constructor(connection: PlatformConnection, fetchImpl: typeof fetch = (...a) => fetch(...a)) {
    this.connection = { url: connection.url.replace(/\/+$/, ''), controlToken: connection.controlToken };
    this.fetchImpl = fetchImpl;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.connection.controlToken}`, 'content-type': 'application/json' };
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await this.fetchImpl(`${this.connection.url}/__platform/${path}`, {
      method,
      headers: this.headers(),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    if (!res.ok) throw new PlatformClientError(res.status, json.error?.message ?? `The platform answered ${res.status}.`);
    return json as T;
  }

  state(): Promise<PlatformSnapshot> {
    return this.request('GET', 'state');
  }
  createKey(options: CreateKeyOptions): Promise<{ key: KeyView; value: string }> {
    return this.request('POST', 'keys', options);
  }
  /** The key that has this value (course checks: which key did the learner put in .env?); null when none. */
  async lookupKey(value: string): Promise<KeyView | null> {
    try {
      return (await this.request<{ key: KeyView }>('POST', 'key-lookup', { value })).key;
    } catch (e) {
      if (e instanceof PlatformClientError && e.status === 404) return null;
      throw e;
    }
  }
  /** A key's full value (course checks only: to look for it in a program's output). */
  async keyValue(id: string): Promise<string> {
    return (await this.request<{ value: string }>('GET', `keys/${encodeURIComponent(id)}/value`)).value;
  }
  revokeKey(id: string): Promise<{ key: KeyView }> {
    return this.request('POST', `keys/${encodeURIComponent(id)}/revoke`, {});
  }
  /** Course only (the real platform cannot undo a revocation): a check that revoked a key puts it back. */
  restoreKey(id: string, reason?: string): Promise<{ key: KeyView }> {
    return this.request('POST', `keys/${encodeURIComponent(id)}/restore`, reason ? { reason } : {});
  }
  rotateKey(id: string, revokeOld = false): Promise<{ key: KeyView; value: string; old: KeyView }> {
    return this.request('POST', `keys/${encodeURIComponent(id)}/rotate`, { revokeOld });
  }
  updateKey(id: string, patch: { scopes?: string[]; expiresInSeconds?: number | null; name?: string }): Promise<{ key: KeyView }> {
    return this.request('POST', `keys/${encodeURIComponent(id)}`, patch);
  }
  createProject(name: string, id?: string): Promise<{ project: ProjectView }> {
    return this.request('POST', 'projects', { name, id });
  }
  updateProject(id: string, patch: ProjectPatch): Promise<{ project: ProjectView }> {
    return this.request('POST', `projects/${encodeURIComponent(id)}`, patch);
  }
  /** People (control-people.ts): what the panel's people section shows and changes. */
  people(): Promise<PlatformSnapshot['people']> {
    return this.request('GET', 'people');
  }
  setOrgRole(user: string, role: 'owner' | 'reader'): Promise<PlatformSnapshot['people']> {
    return this.request('POST', `users/${encodeURIComponent(user)}`, { role });
  }
  setProjectRole(projectId: string, user: string, role: 'owner' | 'member' | 'viewer' | null): Promise<PlatformSnapshot['people']> {
    return this.request('POST', `projects/${encodeURIComponent(projectId)}/users/${encodeURIComponent(user)}`, { role });
  }
  /** A dashboard session acting as the person (use it as the SDK's adminAPIKey). */
  async session(user: string): Promise<string> {
    return (await this.request<{ token: string }>('POST', `users/${encodeURIComponent(user)}/session`, {})).token;
  }
  /** The person makes their own project key in the dashboard. */
  createOwnKey(user: string, projectId: string, name?: string): Promise<{ key: { id: string; projectId: string; owner: string }; value: string }> {
    return this.request('POST', `users/${encodeURIComponent(user)}/keys`, { projectId, name });
  }
  advanceClock(ms: number): Promise<{ now: number }> {
    return this.request('POST', 'clock', { advanceMs: ms });
  }
  burst(options: BurstOptions = {}): Promise<{ attempted: number; accepted: number; rejected: Record<string, number>; costUsd: number; message: string }> {
    return this.request('POST', 'simulate/burst', options);
  }
  partnerAlert(options: { key?: string; url?: string; revoke?: boolean } = {}): Promise<{ event: PlatformEvent; key: KeyView }> {
    return this.request('POST', 'simulate/partner-alert', options);
  }
  async ledger(after = 0): Promise<LedgerEntry[]> {
    return (await this.request<{ data: LedgerEntry[] }>('GET', `ledger?after=${after}`)).data;
  }
  async events(after = 0): Promise<PlatformEvent[]> {
    return (await this.request<{ data: PlatformEvent[] }>('GET', `events?after=${after}`)).data;
  }
  async rejections(after = 0): Promise<Rejection[]> {
    return (await this.request<{ data: Rejection[] }>('GET', `rejections?after=${after}`)).data;
  }

  /**
   * Follow the live stream until `signal` aborts or the platform stops. Uses fetch (not
   * EventSource) so the control token travels in a header, never in a URL.
   */
  async stream(onMessage: (msg: StreamMessage) => void, signal: AbortSignal): Promise<void> {
    const res = await this.fetchImpl(`${this.connection.url}/__platform/events/stream`, { headers: this.headers(), signal });
    if (!res.ok || !res.body) throw new PlatformClientError(res.status, `The platform refused the event stream (${res.status}).`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const parsed = parseSse(buffer + decoder.decode(value, { stream: true }));
        buffer = parsed.rest;
        for (const m of parsed.messages) {
          if (m.event === 'hello' || m.event === 'event' || m.event === 'ledger' || m.event === 'rejection') {
            onMessage({ kind: m.event, data: JSON.parse(m.data) } as StreamMessage);
          }
        }
      }
    } catch (e) {
      if (signal.aborted) return;
      throw e;
    }
  }
}
