// Course controls under /__platform/: state snapshot, event stream, clock, key and project
// management for the dashboard panel, and simulations (attacker burst, partner alert).
// Every route needs the platform's control token (`Authorization: Bearer <controlToken>`, or the
// `x-leakproof-control` header): a learner's app holding an API key can never drive them.
import { chatCompletions, errorReply, type Reply } from './inference.ts';
import { isValidAllowlistEntry } from './ip.ts';
import { maskKey, redactKey, safeEqual, type KeyKind } from './keys.ts';
import { MODELS } from './models.ts';
import { monthOf, parseBearer, DEFAULT_RATE_LIMIT, MAX_REJECTIONS } from './state.ts';
import type { PlatformState } from './state.ts';
import type { KeyRecord, KeyView, PlatformMessage, PlatformSnapshot, ProjectRecord, ProjectView } from './types.ts';
import type { RouteContext, RouteResult } from './route.ts';
import { peopleControl, peopleView } from './control-people.ts';

const ok = (json: unknown): Reply => ({ status: 200, headers: {}, json });
const bad = (message: string, param: string | null = null): Reply => errorReply(400, { message, type: 'invalid_request_error', param, code: null });
const missing = (message: string): Reply => errorReply(404, { message, type: 'invalid_request_error', param: null, code: null });

/** A documentation address: TEST-NET-3 (RFC 5737), never a real host. */
export const FOREIGN_ADDRESS = '203.0.113.77';

export function keyView(state: PlatformState, k: KeyRecord): KeyView {
  let requests = 0;
  let costUsd = 0;
  for (const e of state.ledger) {
    if (e.keyId === k.id) {
      requests++;
      costUsd += e.costUsd;
    }
  }
  return {
    id: k.id,
    name: k.name,
    kind: k.kind,
    projectId: k.projectId,
    status: k.status,
    expired: state.isExpired(k),
    scopes: k.scopes,
    masked: maskKey(k.value),
    redacted: redactKey(k.value),
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
    serviceAccountId: k.serviceAccountId,
    rotatedFrom: k.rotatedFrom,
    ownerUserId: k.ownerUserId,
    requests,
    costUsd,
  };
}

export function projectView(state: PlatformState, p: ProjectRecord): ProjectView {
  return {
    id: p.id,
    name: p.name,
    archived: p.archivedAt !== null,
    allowedModels: p.modelPermissions?.mode === 'allow_list' ? p.modelPermissions.modelIds : null,
    modelPermissions: p.modelPermissions,
    spendLimitUsd: p.spendLimitUsd,
    spentUsd: state.spentUsd(p.id),
    spendAlertsUsd: p.spendAlerts.map((a) => a.thresholdUsd),
    spendAlerts: p.spendAlerts.map((a) => ({ id: a.id, thresholdUsd: a.thresholdUsd, recipients: a.recipients })),
    rateLimits: p.rateLimits,
    ipAllowlist: p.ipAllowlist,
  };
}

/** The whole state for the panel and the engine's checks. Key values are never included. */
export function snapshot(state: PlatformState): PlatformSnapshot {
  return {
    now: state.now(),
    month: monthOf(state.now()),
    organization: { id: 'org-leakproof', spendLimitUsd: state.orgSpendLimitUsd, spentUsd: state.orgSpentUsd() },
    projects: [...state.projects.values()].map((p) => projectView(state, p)),
    keys: [...state.keys.values()].map((k) => keyView(state, k)),
    serviceAccounts: [...state.serviceAccounts.values()],
    people: peopleView(state),
    models: MODELS.map((m) => ({ id: m.id, inputPerMillion: m.inputPerMillion, outputPerMillion: m.outputPerMillion })),
    defaultRateLimit: DEFAULT_RATE_LIMIT,
    counts: { ledger: state.ledger.length, rejections: state.rejections.length, events: state.events.length },
  };
}

function authorized(ctx: RouteContext): boolean {
  const header = ctx.headers['x-leakproof-control'];
  const token = typeof header === 'string' ? header : parseBearer(ctx.headers.authorization);
  return !!token && safeEqual(token, ctx.controlToken);
}

function body(ctx: RouteContext): Record<string, unknown> {
  return ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
}

function after<T extends { seq: number }>(list: T[], query: URLSearchParams): T[] {
  const n = Number(query.get('after')) || 0;
  // seq is 1-based and increasing (the rejection log drops its oldest entries, so it may not start at 1).
  if (n <= 0) return list;
  const i = list.findIndex((x) => x.seq > n);
  return i < 0 ? [] : list.slice(i);
}

function stringList(v: unknown): string[] | null {
  return Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0) ? (v as string[]) : null;
}

export async function handleControl(ctx: RouteContext): Promise<RouteResult> {
  if (!authorized(ctx)) {
    return errorReply(401, {
      message: 'Course controls need the platform\'s control token: send the header "Authorization: Bearer <controlToken>" (printed by `leakproof platform`, or PlatformHandle.controlToken).',
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_control_token',
    });
  }
  const { state, method, query } = ctx;
  const seg = ctx.path.split('/').filter(Boolean).slice(1).map(decodeURIComponent); // after "__platform"
  const b = body(ctx);
  const forPeople = peopleControl(state, method, seg, b);
  if (forPeople) return forPeople;
  const route = `${method} ${seg.map((s, i) => (i === 1 && (seg[0] === 'keys' || seg[0] === 'projects') ? ':id' : s)).join('/')}`;

  switch (route) {
    case 'GET ':
    case 'GET state':
      return ok(snapshot(state));
    case 'GET ledger':
      return ok({ data: after(state.ledger, query) });
    case 'GET rejections':
      // Only the latest MAX_REJECTIONS are kept; `dropped` says how many older ones were let go.
      return ok({ data: after(state.rejections, query), dropped: state.rejectionsDropped, limit: MAX_REJECTIONS });
    case 'GET events':
      return ok({ data: after(state.events, query) });
    case 'GET events/stream':
      stream(ctx);
      return 'handled';
    case 'GET clock':
      return ok({ now: state.now() });
    case 'POST clock': {
      if (typeof b.advanceMs === 'number' && Number.isFinite(b.advanceMs)) state.advanceClock(b.advanceMs);
      else if (typeof b.advanceSeconds === 'number' && Number.isFinite(b.advanceSeconds)) state.advanceClock(b.advanceSeconds * 1000);
      else if (typeof b.set === 'number' || typeof b.set === 'string') {
        const t = typeof b.set === 'number' ? b.set : Date.parse(b.set);
        if (!Number.isFinite(t)) return bad('Invalid "set": use epoch milliseconds or an ISO date.', 'set');
        state.setClock(t);
      } else return bad('Send {"advanceMs": n}, {"advanceSeconds": n} or {"set": epochMs | "ISO date"}.');
      return ok({ now: state.now() });
    }
    case 'POST keys': {
      const kind = (b.kind ?? 'project') as KeyKind;
      if (!['project', 'service_account', 'admin'].includes(kind)) return bad('Invalid "kind": use "project", "service_account" or "admin".', 'kind');
      const projectId = typeof b.projectId === 'string' ? b.projectId : kind === 'admin' ? null : ([...state.projects.keys()][0] ?? null);
      if (kind !== 'admin' && (!projectId || !state.project(projectId))) return bad(`No project with id "${String(b.projectId)}".`, 'projectId');
      const scopes = b.scopes === undefined ? [] : stringList(b.scopes);
      if (!scopes) return bad('Invalid "scopes": use a list of scope strings such as ["model.request"], or [] for All.', 'scopes');
      let expiresAt: number | null = null;
      if (b.expiresInSeconds !== undefined) {
        if (typeof b.expiresInSeconds !== 'number' || b.expiresInSeconds <= 0) return bad('Invalid "expiresInSeconds": use a number of seconds above 0.', 'expiresInSeconds');
        expiresAt = state.now() + b.expiresInSeconds * 1000;
      }
      const name = typeof b.name === 'string' && b.name ? b.name : undefined;
      // A service-account key belongs to a service account: the one named, or a new one named after
      // the key (the dashboard creates both in one step).
      let serviceAccountId: string | null = null;
      if (kind === 'service_account') {
        if (typeof b.serviceAccountId === 'string') {
          const sa = state.serviceAccounts.get(b.serviceAccountId);
          if (!sa || sa.projectId !== projectId) return bad(`No service account with id "${b.serviceAccountId}" in project "${projectId}".`, 'serviceAccountId');
          serviceAccountId = sa.id;
        } else serviceAccountId = state.createServiceAccount(projectId!, name ?? 'service account').id;
      }
      const key = state.createKey({ kind, projectId, name, scopes, expiresAt, serviceAccountId });
      // The value is shown once, as on the real dashboard.
      return ok({ key: keyView(state, key), value: key.value });
    }
    case 'POST key-lookup': {
      // For the course's checks: which platform key is this value (read from a learner's .env)?
      const key = typeof b.value === 'string' ? state.keyByValue(b.value.trim()) : undefined;
      if (!key) return missing('No key on this platform has that value.');
      return ok({ key: keyView(state, key) });
    }
    case 'GET keys/:id/value': {
      // For the course's checks: they look for keys the learner's code created (a rotation script's
      // new key) in that code's output. The control token already mints keys; API keys never get here.
      const key = state.findKey(seg[1]!);
      if (!key) return missing(`No key with id "${seg[1]}".`);
      return ok({ id: key.id, value: key.value });
    }
    case 'POST keys/:id':
    case 'POST keys/:id/revoke':
    case 'POST keys/:id/restore':
    case 'POST keys/:id/rotate': {
      const key = state.findKey(seg[1]!);
      if (!key) return missing(`No key with id "${seg[1]}".`);
      if (seg[2] === 'restore') return ok({ key: keyView(state, state.restoreKey(key.id, typeof b.reason === 'string' && b.reason ? b.reason : 'restored by the course')) });
      if (seg[2] === 'revoke') return ok({ key: keyView(state, state.revokeKey(key.id, typeof b.reason === 'string' ? b.reason : 'revoked in the dashboard')) });
      if (seg[2] === 'rotate') {
        if (key.status === 'revoked') return bad('This key is already revoked; create a new key instead.');
        const fresh = state.rotateKey(key.id, { revokeOld: b.revokeOld === true });
        return ok({ key: keyView(state, fresh), value: fresh.value, old: keyView(state, key) });
      }
      const patch: { scopes?: string[]; expiresAt?: number | null; name?: string } = {};
      if (b.scopes !== undefined) {
        const s = stringList(b.scopes) ?? (Array.isArray(b.scopes) && b.scopes.length === 0 ? [] : null);
        if (!s) return bad('Invalid "scopes": use a list of scope strings, or [] for All.', 'scopes');
        patch.scopes = s;
      }
      if (b.expiresInSeconds === null) patch.expiresAt = null;
      else if (typeof b.expiresInSeconds === 'number') patch.expiresAt = state.now() + b.expiresInSeconds * 1000;
      if (typeof b.name === 'string' && b.name) patch.name = b.name;
      return ok({ key: keyView(state, state.updateKey(key.id, patch)) });
    }
    case 'POST projects': {
      if (typeof b.name !== 'string' || !b.name) return bad('Missing "name" for the new project.', 'name');
      try {
        const p = state.createProject({ id: typeof b.id === 'string' && b.id ? b.id : undefined, name: b.name });
        return ok({ project: projectView(state, p) });
      } catch (e) {
        return bad((e as Error).message, 'id');
      }
    }
    case 'POST projects/:id':
      return updateProject(state, seg[1]!, b);
    case 'POST simulate/burst':
      return ok(burst(state, b));
    case 'POST simulate/partner-alert':
      return partnerAlert(state, b);
    default:
      return missing(`No course control ${method} /__platform/${seg.join('/')}. See src/platform/README.md for the list.`);
  }
}

function updateProject(state: PlatformState, id: string, b: Record<string, unknown>): Reply {
  const project = state.project(id);
  if (!project) return missing(`No project with id "${id}".`);
  // Validate every field before changing anything: a refused request changes nothing.
  if (b.allowedModels !== undefined && b.allowedModels !== null && !(Array.isArray(b.allowedModels) && b.allowedModels.every((m) => typeof m === 'string'))) {
    return bad('Invalid "allowedModels": use a list of model ids, or null for every model.', 'allowedModels');
  }
  if (b.spendLimitUsd !== undefined && b.spendLimitUsd !== null && (typeof b.spendLimitUsd !== 'number' || !(b.spendLimitUsd >= 0))) {
    return bad('Invalid "spendLimitUsd": use a number of US dollars, 0 or more, or null for none.', 'spendLimitUsd');
  }
  if (b.spendAlertsUsd !== undefined && !(Array.isArray(b.spendAlertsUsd) && b.spendAlertsUsd.every((x) => typeof x === 'number' && x > 0))) {
    return bad('Invalid "spendAlertsUsd": use a list of US dollar amounts above 0.', 'spendAlertsUsd');
  }
  const alertList = b.spendAlerts as Array<{ thresholdUsd?: unknown; recipients?: unknown }> | undefined;
  const email = (x: unknown) => typeof x === 'string' && /^[^\s@]+@[^\s@]+$/.test(x);
  if (alertList !== undefined && !(Array.isArray(alertList) && alertList.every((a) => a && typeof a.thresholdUsd === 'number' && a.thresholdUsd > 0 && (a.recipients === undefined || (Array.isArray(a.recipients) && a.recipients.every(email)))))) {
    return bad('Invalid "spendAlerts": use [{ "thresholdUsd": 4, "recipients": ["you@example.com"] }] with amounts above 0 and email addresses.', 'spendAlerts');
  }
  if (alertList !== undefined && b.spendAlertsUsd !== undefined) return bad('Send either "spendAlerts" or "spendAlertsUsd", not both.', 'spendAlerts');
  if (b.ipAllowlist !== undefined && b.ipAllowlist !== null && !(Array.isArray(b.ipAllowlist) && b.ipAllowlist.length <= 50 && b.ipAllowlist.every((x) => typeof x === 'string' && isValidAllowlistEntry(x)))) {
    return bad('Invalid "ipAllowlist": use up to 50 addresses or IPv4 CIDR ranges such as ["127.0.0.1", "10.0.0.0/8"], or null for any address.', 'ipAllowlist');
  }
  const limits = b.rateLimits as Array<{ model?: unknown; maxRequestsPer1Minute?: unknown; maxTokensPer1Minute?: unknown }> | undefined;
  const count = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
  if (limits !== undefined && !(Array.isArray(limits) && limits.every((r) => r && typeof r.model === 'string' && count(r.maxRequestsPer1Minute) && count(r.maxTokensPer1Minute)))) {
    return bad('Invalid "rateLimits": use [{ "model": "gpt-4o-mini", "maxRequestsPer1Minute": 3, "maxTokensPer1Minute": 10000 }] with whole numbers.', 'rateLimits');
  }
  if (b.allowedModels !== undefined) state.setAllowedModels(id, b.allowedModels as string[] | null);
  if (b.spendLimitUsd !== undefined) state.setSpendLimit(id, b.spendLimitUsd as number | null);
  if (b.ipAllowlist !== undefined) state.setIpAllowlist(id, b.ipAllowlist as string[] | null);
  const alerts = b.spendAlertsUsd as number[] | undefined;
  if (alerts !== undefined && JSON.stringify(alerts) !== JSON.stringify(project.spendAlerts.map((a) => a.thresholdUsd))) {
    project.spendAlerts = alerts.map((t, i) => ({ id: `alert_${id}_${i}`, thresholdUsd: t, recipients: [], firedMonth: null }));
    state.emit('project.updated', `Spend alerts of ${project.name}: ${alerts.map((t) => `$${t.toFixed(2)}`).join(', ') || 'none'}.`, { projectId: id });
  }
  if (alertList !== undefined) {
    project.spendAlerts = alertList.map((a, i) => ({ id: `alert_${id}_${i}`, thresholdUsd: a.thresholdUsd as number, recipients: [...((a.recipients as string[] | undefined) ?? [])], firedMonth: null }));
    state.emit('project.updated', `Spend alerts of ${project.name}: ${project.spendAlerts.map((a) => `$${a.thresholdUsd.toFixed(2)}${a.recipients.length ? ` to ${a.recipients.join(', ')}` : ''}`).join('; ') || 'none'}.`, { projectId: id });
  }
  if (limits !== undefined) {
    for (const r of limits) {
      project.rateLimits[r.model as string] = {
        maxRequestsPer1Minute: (r.maxRequestsPer1Minute as number | undefined) ?? DEFAULT_RATE_LIMIT.maxRequestsPer1Minute,
        maxTokensPer1Minute: (r.maxTokensPer1Minute as number | undefined) ?? DEFAULT_RATE_LIMIT.maxTokensPer1Minute,
      };
    }
    state.emit('rate_limit.updated', `Rate limits of ${project.name} updated.`, { projectId: id });
  }
  if (typeof b.name === 'string' && b.name) project.name = b.name;
  return ok({ project: projectView(state, project) });
}

/** The key a simulation acts on: by id or value, else the first project key (the planted one). */
function targetKey(state: PlatformState, ref: unknown): KeyRecord | undefined {
  if (typeof ref === 'string' && ref) return state.findKey(ref);
  return [...state.keys.values()].find((k) => k.kind === 'project') ?? [...state.keys.values()].find((k) => k.kind !== 'admin');
}

export interface BurstResult {
  keyId: string | null;
  source: string;
  attempted: number;
  accepted: number;
  rejected: Record<string, number>;
  costUsd: number;
  message: string;
}

/**
 * An attacker who found a leaked key: `count` expensive calls from a foreign address, through the
 * same gate as real calls (key status, permissions, spend and rate limits) and into the ledger.
 */
export function burst(state: PlatformState, b: Record<string, unknown>): BurstResult {
  const key = targetKey(state, b.key);
  const count = Math.max(1, Math.min(1000, Math.floor(Number(b.count) || 40)));
  const model = typeof b.model === 'string' && b.model ? b.model : 'gpt-4.1';
  const promptTokens = Math.max(1, Math.min(100_000, Math.floor(Number(b.promptTokens) || 8000)));
  const source = typeof b.source === 'string' && b.source ? b.source : FOREIGN_ADDRESS;
  const prompt = 'Write a very long essay about everything. '.repeat(Math.ceil((promptTokens * 4) / 42)).slice(0, promptTokens * 4);
  const rejected: Record<string, number> = {};
  let accepted = 0;
  let costUsd = 0;
  const before = state.ledger.length;
  for (let i = 0; i < count; i++) {
    const reply = chatCompletions(state, {
      authorization: key ? `Bearer ${key.value}` : 'Bearer sk-proj-unknown',
      body: { model, messages: [{ role: 'user', content: prompt }], max_tokens: typeof b.maxTokens === 'number' ? b.maxTokens : 2000 },
      source,
      simulated: true,
    });
    if (reply.status === 200) accepted++;
    else {
      const code = ((reply as { json: { error?: { code?: string | null } } }).json.error?.code ?? String(reply.status)) || String(reply.status);
      rejected[code] = (rejected[code] ?? 0) + 1;
    }
  }
  for (const e of state.ledger.slice(before)) costUsd += e.costUsd;
  const refusedText = Object.entries(rejected).map(([c, n]) => `${c} ×${n}`).join(', ');
  const message = `Simulated attack: ${count} calls to ${model} with ${key ? redactKey(key.value) : 'an unknown key'} from ${source}: ${accepted} accepted ($${costUsd.toFixed(2)}), ${count - accepted} refused${refusedText ? ` (${refusedText})` : ''}.`;
  state.emit('simulation.burst', message, { keyId: key?.id ?? null, source, model, attempted: count, accepted, rejected, costUsd });
  return { keyId: key?.id ?? null, source, attempted: count, accepted, rejected, costUsd, message };
}

/** GitHub secret scanning tells OpenAI a key is public; OpenAI tells the owner (and may disable it). */
function partnerAlert(state: PlatformState, b: Record<string, unknown>): Reply {
  const key = targetKey(state, b.key);
  if (!key) return missing('No key to report: pass {"key": "<key id or value>"}.');
  const url = typeof b.url === 'string' && b.url ? b.url : 'https://github.com/example-user/weekend-app/blob/main/.env';
  const event = state.emit(
    'partner_alert',
    `Partner alert: GitHub secret scanning found your key ${redactKey(key.value)} (${key.name}) in a public repository: ${url}. Revoke it now, deploy a new key, then check the usage for calls you did not make.`,
    { keyId: key.id, projectId: key.projectId, url },
  );
  if (b.revoke === true) state.revokeKey(key.id, 'disabled after a partner alert');
  return ok({ event, key: keyView(state, key) });
}

function stream(ctx: RouteContext): void {
  const { res, req, state } = ctx;
  // A client that goes away mid-write must never crash the platform.
  res.on('error', () => {});
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'access-control-allow-origin': '*' });
  res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ now: state.now(), counts: { ledger: state.ledger.length, rejections: state.rejections.length, events: state.events.length } })}\n\n`);
  const unsubscribe = state.subscribe((msg: PlatformMessage) => {
    const data = msg.kind === 'event' ? msg.event : msg.kind === 'ledger' ? msg.entry : msg.rejection;
    res.write(`event: ${msg.kind}\ndata: ${JSON.stringify(data)}\n\n`);
  });
  // A comment line now and then keeps proxies and idle timers from closing the stream.
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  ping.unref?.();
  const stop = () => {
    clearInterval(ping);
    unsubscribe();
  };
  req.on('close', stop);
  res.on('close', stop);
}
