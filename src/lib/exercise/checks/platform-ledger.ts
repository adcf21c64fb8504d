// "The app works" judged by the mock platform, not by what the program prints (a program can print
// "(mock gpt-4o-mini) …" by itself): a new accepted call in the platform's ledger, with the planted
// key, made while the check ran. Refused calls explain a failure ("the key it sent is cut short").
import type { PlatformAccess, PlatformCallExpectation } from '../define.ts';
import type { CheckOutcome } from './types.ts';

interface LedgerEntry {
  seq: number;
  keyMasked: string;
  model: string;
  simulated: boolean;
}
interface Rejection {
  seq: number;
  keyMasked: string | null;
  status: number;
  reason: string;
  simulated: boolean;
}

export interface LedgerMark {
  ledger: number;
  rejections: number;
}

/** The platform's own masking (src/platform/keys.ts maskKey): prefix, stars, last four. */
export function platformMask(value: string): string {
  const prefix = /^(sk-(?:proj|svcacct|admin)-|sk-)/.exec(value)?.[1] ?? '';
  const rest = value.slice(prefix.length);
  if (rest.length <= 8) return prefix + '*'.repeat(rest.length);
  return prefix + '*'.repeat(rest.length - 4) + rest.slice(-4);
}

async function control<T>(p: PlatformAccess, method: string, path: string, body?: unknown): Promise<T> {
  const res = await globalThis.fetch(`${p.url.replace(/\/+$/, '')}/__platform/${path}`, {
    method,
    headers: { authorization: `Bearer ${p.controlToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`the mock platform answered ${res.status} to ${method} /__platform/${path}`);
  return (await res.json()) as T;
}

/** Where the ledger stands now: calls after this mark were made by the check's program. */
export async function markLedger(p: PlatformAccess): Promise<LedgerMark> {
  const s = await control<{ counts: { ledger: number; rejections: number } }>(p, 'GET', 'state');
  return { ledger: s.counts.ledger, rejections: s.counts.rejections };
}

/** A key the platform accepts, for checks that swap keys; revoke it with `revokeKey` after. */
export async function createKey(p: PlatformAccess, name: string): Promise<{ id: string; value: string }> {
  const r = await control<{ key: { id: string }; value: string }>(p, 'POST', 'keys', { name });
  return { id: r.key.id, value: r.value };
}

export async function revokeKey(p: PlatformAccess, id: string): Promise<void> {
  await control(p, 'POST', `keys/${encodeURIComponent(id)}/revoke`, { reason: 'used once by a course check' });
}

const REASONS: Record<string, string> = {
  unknown_key: 'a key the platform does not know (is it cut short, or has something around it, such as quotes or a space?)',
  revoked: 'a revoked key',
  expired: 'an expired key',
  no_key: 'no key at all (is OPENAI_API_KEY set when the program starts?)',
  missing_scope: 'a key without the permission this call needs',
  model_not_allowed: 'a model this project may not use',
  unknown_model: 'a model that does not exist',
};

/**
 * Pass when the ledger holds a call made after `mark` with `key` (or with any key for 'any-key');
 * otherwise a failing outcome that says what the platform saw instead.
 */
export async function verifyPlatformCall(p: PlatformAccess, mark: LedgerMark, key: string, want: PlatformCallExpectation, who: string): Promise<CheckOutcome | null> {
  if (!want) return null;
  const ledger = (await control<{ data: LedgerEntry[] }>(p, 'GET', `ledger?after=${mark.ledger}`)).data.filter((e) => !e.simulated);
  const masked = platformMask(key);
  const hits = want === 'any-key' ? ledger : ledger.filter((e) => e.keyMasked === masked);
  if (hits.length > 0) return null;
  const refused = (await control<{ data: Rejection[] }>(p, 'GET', `rejections?after=${mark.rejections}`)).data.filter((r) => !r.simulated);
  if (refused.length > 0) {
    const r = refused[refused.length - 1]!;
    return { status: 'fail', message: `${who} called the platform, but the platform refused the call (${r.status}): it came with ${REASONS[r.reason] ?? r.reason}.` };
  }
  if (ledger.length > 0) return { status: 'fail', message: `${who} called the platform, but with another key than this exercise's key.` };
  return { status: 'fail', message: `${who} never called the platform: the mock platform's ledger shows no request from it. Printing an answer is not enough; the program must ask the model.` };
}
