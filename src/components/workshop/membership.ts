// The learner's side of a workshop room, in the course page: joining with a code, reporting check
// results (chapter, check ids and statuses, timing, engine — never files, the key or output),
// hearing the facilitator's messages and solution releases, leaving. Membership lives in
// localStorage (one room at a time); progress stays in the browser as without a room.
// Events on window: lp-workshop-change { membership | null }, lp-workshop-message { text, at }.
import type { CheckReport } from '../../lib/exercise/results.ts';
import { learnerEventSchema, type LearnerEvent, type LearnerView } from '../../lib/schemas/workshop.ts';
import { followSse } from '../../lib/workshop/sse.ts';

const KEY = 'leakproof:workshop';

export interface Membership {
  /** The workshop service's address (http(s)://host:port). */
  service: string;
  code: string;
  name: string;
  token: string;
  learnerId: number;
  /** Chapters whose solution the facilitator released. */
  released: string[];
  lastMessage: { text: string; at: number } | null;
}

export function membership(): Membership | null {
  try {
    const m = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Membership | null;
    return m && typeof m.token === 'string' && typeof m.service === 'string' ? m : null;
  } catch {
    return null;
  }
}

function save(m: Membership | null) {
  try {
    if (m) localStorage.setItem(KEY, JSON.stringify(m));
    else localStorage.removeItem(KEY);
  } catch {}
  dispatchEvent(new CustomEvent('lp-workshop-change', { detail: m }));
}

/** A workshop address from a link or a field: http(s) only, without path. */
export function serviceOrigin(value: string): string {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    throw new Error('The workshop address must look like http://192.168.1.20:4800 (the facilitator shows it).');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('The workshop address must start with http:// or https://.');
  return u.origin;
}

async function call<T>(service: string, path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(`${service}${path}`, { ...init, headers, mode: 'cors', credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new Error(`The workshop service at ${service} does not answer. Check the address with your facilitator, and that this course's address is allowed (leakproof workshop --origin ${location.origin}).`);
  }
  const body = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw Object.assign(new Error(body.error ?? `The workshop service refused (HTTP ${res.status}).`), { status: res.status });
  return body;
}

export async function join(service: string, code: string, name: string): Promise<Membership> {
  const origin = serviceOrigin(service);
  const r = await call<{ token: string; learner: { id: number; name: string }; room: { code: string } }>(origin, '/api/join', {
    method: 'POST',
    body: JSON.stringify({ code, name }),
  });
  const m: Membership = { service: origin, code: r.room.code, name: r.learner.name, token: r.token, learnerId: r.learner.id, released: [], lastMessage: null };
  save(m);
  connect();
  return m;
}

export async function leave(): Promise<void> {
  const m = membership();
  disconnect();
  saveOutbox([]);
  save(null);
  if (m) await call(m.service, '/api/learner/leave', { method: 'POST', token: m.token, body: '{}' }).catch(() => {});
}

// Results wait in an outbox (localStorage) until the service has them: a service restarting or a
// network blip delays a result, it does not lose it. Refusals (HTTP 4xx) are shown and dropped.
const OUTBOX = 'leakproof:workshop:outbox';
const OUTBOX_MAX = 100;
/** `key` tells two identical results apart. */
interface OutboxItem {
  key: string;
  token: string;
  event: LearnerEvent;
}
const RETRY_MS = 3000;
let flushing = false;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

function outbox(): OutboxItem[] {
  try {
    return JSON.parse(localStorage.getItem(OUTBOX) ?? '[]');
  } catch {
    return [];
  }
}
function saveOutbox(items: OutboxItem[]) {
  try {
    if (items.length) localStorage.setItem(OUTBOX, JSON.stringify(items.slice(-OUTBOX_MAX)));
    else localStorage.removeItem(OUTBOX);
  } catch {}
}

/** Sends what waits in the outbox, oldest first; on a network failure, tries again in a few seconds. */
export async function flushOutbox(): Promise<void> {
  if (flushing) return;
  flushing = true;
  try {
    for (;;) {
      const m = membership();
      const items = outbox().filter((i) => i.token === m?.token);
      if (!m || !items.length) return saveOutbox(items);
      try {
        await call(m.service, '/api/learner/events', { method: 'POST', token: m.token, body: JSON.stringify(items[0]!.event) });
      } catch (e) {
        const status = (e as { status?: number }).status;
        if (status === undefined || status >= 500) {
          retryTimer ??= setTimeout(() => {
            retryTimer = null;
            void flushOutbox();
          }, RETRY_MS);
          return;
        }
        dispatchEvent(new CustomEvent('lp-workshop-error', { detail: (e as Error).message }));
        if (status === 401) {
          saveOutbox([]);
          return save(null);
        }
      }
      saveOutbox(outbox().filter((i) => i.key !== items[0]!.key));
    }
  } finally {
    flushing = false;
  }
}

/** Sends one event to the room (when in one). Failures are shown, never thrown at the check panel. */
export async function report(event: LearnerEvent): Promise<void> {
  const m = membership();
  if (!m) return;
  // Only what the schema allows leaves the page.
  const parsed = learnerEventSchema.safeParse(event);
  if (!parsed.success) {
    dispatchEvent(new CustomEvent('lp-workshop-error', { detail: `This check result could not be sent to the room: ${parsed.error.issues[0]?.message}` }));
    return;
  }
  saveOutbox([...outbox(), { key: `${Date.now()}-${Math.random().toString(36).slice(2)}`, token: m.token, event: parsed.data }]);
  await flushOutbox();
}

/** The event a check report becomes: ids and statuses only. */
/** `checksHash`: the chapter page's hash of its checks (public), so the room's completion records name the checks that ran. */
export function checkEvent(chapter: string, report: CheckReport, durationMs: number, checksHash?: string | null): LearnerEvent {
  return {
    kind: 'check',
    chapter,
    passed: report.passed,
    engine: report.engine,
    durationMs: Math.max(0, Math.min(3_600_000, Math.round(durationMs))),
    checks: report.checks.slice(0, 50).map((c) => ({ id: c.id, status: c.status })),
    ...(checksHash && /^sha256-[0-9a-f]{64}$/.test(checksHash) ? { checksHash } : {}),
  };
}

export { solutionGate } from './gate.ts';

let stream: { close(): void } | null = null;

function disconnect() {
  stream?.close();
  stream = null;
}

/** Follows the room's messages and releases while the page is open. */
export function connect(): void {
  const m = membership();
  disconnect();
  if (!m) return;
  void flushOutbox(); // results a closed tab or a restart left behind
  stream = followSse({
    url: () => `${m.service}/api/learner/stream`,
    headers: { authorization: `Bearer ${m.token}` },
    onState: (state) => {
      if (state === 'open') void flushOutbox();
      if (state === 'refused' && membership()?.token === m.token) {
        disconnect();
        save(null);
        dispatchEvent(new CustomEvent('lp-workshop-error', { detail: 'You are no longer in the workshop room. Join again with the code.' }));
      }
    },
    onMessage: (msg) => {
      const cur = membership();
      if (!cur || cur.token !== m.token) return;
      const data = JSON.parse(msg.data) as unknown;
      if (msg.event === 'view') {
        const v = data as LearnerView;
        const last = v.messages.at(-1) ?? null;
        save({ ...cur, released: v.released, lastMessage: last ? { text: last.text, at: last.at } : null });
      } else if (msg.event === 'release') {
        const { chapter } = data as { chapter: string };
        save({ ...cur, released: [...new Set([...cur.released, chapter])] });
      } else if (msg.event === 'message') {
        const { text, at } = data as { text: string; at: number };
        save({ ...cur, lastMessage: { text, at } });
        dispatchEvent(new CustomEvent('lp-workshop-message', { detail: { text, at } }));
      }
    },
  });
}
