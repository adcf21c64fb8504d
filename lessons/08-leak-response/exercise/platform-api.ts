// What the checks read from the mock platform: the ledger and key values through its course
// controls, the audit log through the Admin API (as an incident responder would).
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import type { LedgerEntry, KeyView } from '../../../src/platform/types.ts';
import { ADMIN_KEY } from './scenario.ts';

export class NoPlatformError extends Error {}

function controls(ctx: CheckContext) {
  if (!ctx.platform || !ctx.platformBaseUrl) throw new NoPlatformError('needs a runtime: this check reads the mock platform, which only the local engine runs.');
  return { url: ctx.platform.url, token: ctx.platform.controlToken, v1: ctx.platformBaseUrl };
}

async function control<T>(ctx: CheckContext, path: string): Promise<T> {
  const { url, token } = controls(ctx);
  const res = await fetch(`${url}/__platform/${path}`, { headers: { authorization: `Bearer ${token}` }, signal: ctx.signal });
  if (!res.ok) throw new Error(`The mock platform answered ${res.status} to ${path}.`);
  return (await res.json()) as T;
}

export const ledger = async (ctx: CheckContext) => (await control<{ data: LedgerEntry[] }>(ctx, 'ledger')).data;
export const keys = async (ctx: CheckContext) => (await control<{ keys: KeyView[] }>(ctx, 'state')).keys;
export const keyValue = async (ctx: CheckContext, id: string) => (await control<{ value: string }>(ctx, `keys/${encodeURIComponent(id)}/value`)).value;

export interface AuditEntry {
  id: string;
  type: string;
  effective_at: number;
  [details: string]: unknown;
}

/** The audit log's key events, oldest first (the API lists newest first). */
export async function keyAuditTrail(ctx: CheckContext): Promise<AuditEntry[]> {
  const { v1 } = controls(ctx);
  const out: AuditEntry[] = [];
  let after: string | null = null;
  for (;;) {
    const q = new URLSearchParams({ limit: '100' });
    q.append('event_types[]', 'api_key.created');
    q.append('event_types[]', 'api_key.deleted');
    if (after) q.set('after', after);
    const res = await fetch(`${v1}/organization/audit_logs?${q}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` }, signal: ctx.signal });
    if (!res.ok) throw new Error(`The audit log answered ${res.status}.`);
    const page = (await res.json()) as { data: AuditEntry[]; has_more: boolean; last_id: string | null };
    out.push(...page.data);
    if (!page.has_more || !page.last_id) break;
    after = page.last_id;
  }
  return out.reverse();
}

/** One real inference call with `key` (what an attacker holding it would do). */
export async function callWith(ctx: CheckContext, key: string): Promise<{ status: number; code: string | null }> {
  const { v1 } = controls(ctx);
  const res = await fetch(`${v1}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Is this key still alive?' }] }),
    signal: ctx.signal,
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { code?: string | null } };
  return { status: res.status, code: json.error?.code ?? null };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1', 'localhost']);
export const isLoopback = (source: string) => LOOPBACK.has(source);
