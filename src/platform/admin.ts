// The Admin API subset on OpenAI's real paths and shapes (openai-node 7.57
// `client.admin.organization…`), authorised by an admin key (`sk-admin-…`).
import { errorReply, type Reply } from './inference.ts';
import { maskKey, redactKey } from './keys.ts';
import { MODELS, findModel } from './models.ts';
import { DEFAULT_RATE_LIMIT, type OpenAIErrorBody } from './state.ts';
import type { PlatformState } from './state.ts';
import type { EventActor, KeyRecord, ProjectRecord, ServiceAccountRecord, SpendAlert } from './types.ts';
import type { RouteContext, RouteResult } from './route.ts';
import { queryAuditLog } from './audit-log.ts';
import { authorizeActor, gate, peopleRoute, projectUsersRoute, visibleProject } from './admin-people.ts';
import type { Actor } from './roles.ts';

const MAX_EXPIRY_SECONDS = 365 * 24 * 3600;
const sec = (ms: number) => Math.floor(ms / 1000);
const ok = (json: unknown): Reply => ({ status: 200, headers: {}, json });
const invalid = (message: string, param: string | null = null): Reply => errorReply(400, { message, type: 'invalid_request_error', param, code: null });
const notFound = (message: string): Reply => errorReply(404, { message, type: 'invalid_request_error', param: null, code: null });

// ---- object shapes ---------------------------------------------------------------------------

const COURSE_USER = { id: 'user-learner', email: 'learner@example.com', name: 'Learner', role: 'owner' };

export function projectObject(p: ProjectRecord) {
  return { object: 'organization.project', id: p.id, name: p.name, created_at: sec(p.createdAt), archived_at: p.archivedAt === null ? null : sec(p.archivedAt), status: p.archivedAt === null ? 'active' : 'archived' };
}

function serviceAccountObject(sa: ServiceAccountRecord) {
  return { object: 'organization.project.service_account', id: sa.id, name: sa.name, role: sa.role, created_at: sec(sa.createdAt) };
}

function apiKeyObject(state: PlatformState, k: KeyRecord) {
  const sa = k.serviceAccountId ? state.serviceAccounts.get(k.serviceAccountId) : undefined;
  return {
    object: 'organization.project.api_key',
    id: k.id,
    name: k.name,
    redacted_value: redactKey(k.value),
    created_at: sec(k.createdAt),
    last_used_at: k.lastUsedAt === null ? null : sec(k.lastUsedAt),
    expires_at: k.expiresAt === null ? null : sec(k.expiresAt),
    owner_project_access: 'active',
    owner: sa
      ? { type: 'service_account', service_account: { id: sa.id, name: sa.name, role: sa.role, created_at: sec(sa.createdAt) } }
      : { type: 'user', user: personOf(state, k) },
  };
}

/** The person a key belongs to: its owner in the organization, else the course's learner. */
function personOf(state: PlatformState, k: KeyRecord) {
  const u = k.ownerUserId ? state.people.users.get(k.ownerUserId) : undefined;
  return u ? { id: u.id, email: u.email, name: u.name, role: u.role, created_at: sec(u.addedAt) } : { ...COURSE_USER, created_at: sec(k.createdAt) };
}

function newServiceAccountKeyObject(k: KeyRecord) {
  return { object: 'organization.project.service_account.api_key', id: k.id, name: k.name, value: k.value, created_at: sec(k.createdAt), expires_at: k.expiresAt === null ? null : sec(k.expiresAt) };
}

function spendLimitObject(object: string, usd: number | null) {
  return { object, currency: 'USD', interval: 'month', threshold_amount: usd === null ? 0 : Math.round(usd * 100), enforcement: { status: usd === null ? 'inactive' : 'enforcing' } };
}

function spendAlertObject(a: SpendAlert) {
  return { object: 'project.spend_alert', id: a.id, currency: 'USD', interval: 'month', threshold_amount: Math.round(a.thresholdUsd * 100), notification_channel: { type: 'email', recipients: a.recipients, subject_prefix: null } };
}

function rateLimitObject(project: ProjectRecord, model: string) {
  const l = project.rateLimits[model] ?? DEFAULT_RATE_LIMIT;
  return { object: 'project.rate_limit', id: `rl-${model}`, model, max_requests_per_1_minute: l.maxRequestsPer1Minute, max_tokens_per_1_minute: l.maxTokensPer1Minute };
}

/** ConversationCursorPage: `after` is the id of the last item already seen. */
function page<T extends { id: string }>(items: T[], query: URLSearchParams, defaultLimit = 20): Reply {
  const limit = Math.max(1, Math.min(100, Number(query.get('limit')) || defaultLimit));
  const after = query.get('after');
  let start = 0;
  if (after) {
    const i = items.findIndex((x) => x.id === after);
    start = i < 0 ? items.length : i + 1;
  }
  const data = items.slice(start, start + limit);
  return ok({ object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: start + limit < items.length });
}

// ---- body helpers ----------------------------------------------------------------------------

function bodyObject(body: unknown): Record<string, unknown> | null {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : body === undefined ? {} : null;
}

function expiresFrom(state: PlatformState, v: unknown): number | null | Reply {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_EXPIRY_SECONDS) {
    return invalid(`Invalid 'expires_in_seconds': expected a whole number of seconds from 1 to ${MAX_EXPIRY_SECONDS} (one year).`, 'expires_in_seconds');
  }
  return state.now() + v * 1000;
}

function scopesFrom(v: unknown): string[] | undefined | Reply {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || !s)) return invalid("Invalid 'scopes': expected an array of scope strings such as [\"model.request\"].", 'scopes');
  return v as string[];
}

const isReply = (x: unknown): x is Reply => !!x && typeof x === 'object' && 'status' in x && ('json' in x || 'sse' in x);

// ---- router ----------------------------------------------------------------------------------

export function handleAdmin(ctx: RouteContext): RouteResult {
  const { state, method } = ctx;
  const path = ctx.path.slice('/v1/organization'.length); // e.g. /projects/proj_x/api_keys
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  // An Admin key or a person's dashboard session; then the role gate (roles.ts).
  const actor = authorizeActor(state, ctx.headers.authorization, method !== 'GET');
  if (isReply(actor)) return actor;
  const denied = gate(state, actor, method, seg);
  if (denied) return denied;
  const body = bodyObject(ctx.body);
  if (body === null) return errorReply(400, { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null });
  // Every change made here is the caller's, in the audit log: the Admin key, or the signed-in person.
  const who: EventActor = actor.kind === 'admin-key' ? { type: 'api_key', keyId: actor.key.id, serviceAccountId: actor.key.serviceAccountId } : { type: 'session', ipAddress: ctx.source, user: { id: actor.user.id, email: actor.user.email } };
  return state.withActor(who, () => peopleRoute(state, actor, method, seg, body, ctx.query, page) ?? adminRoute(ctx, seg, body, actor));
}

function adminRoute(ctx: RouteContext, seg: string[], body: Record<string, unknown>, actor: Actor): RouteResult {
  const { state, method, query } = ctx;
  // Organization-wide routes.
  if (seg[0] === 'audit_logs' && seg.length === 1) return method === 'GET' ? auditLogs(state, query) : null;
  if (seg[0] === 'spend_limit' && seg.length === 1) return spendLimitRoute(state, method, body, null);
  if (seg[0] === 'usage' && seg[1] === 'completions' && method === 'GET') return usageCompletions(state, query);
  if (seg[0] === 'costs' && seg.length === 1 && method === 'GET') return costs(state, query);
  if (seg[0] !== 'projects') return null;

  if (seg.length === 1) {
    if (method === 'GET') {
      const all = [...state.projects.values()].filter((p) => (p.archivedAt === null || query.get('include_archived') === 'true') && visibleProject(state, actor, p.id));
      return page(all.map(projectObject), query);
    }
    if (method === 'POST') {
      if (typeof body.name !== 'string' || !body.name) return invalid("Missing required parameter: 'name'.", 'name');
      return ok(projectObject(state.createProject({ name: body.name })));
    }
    return null;
  }
  const project = state.project(seg[1]!);
  if (!project) return notFound(`No project found with id '${seg[1]}'.`);
  const rest = seg.slice(2);

  if (rest.length === 0) {
    if (method === 'GET') return ok(projectObject(project));
    if (method === 'POST') {
      if (typeof body.name === 'string' && body.name) project.name = body.name;
      state.emit('project.updated', `Project ${project.id} renamed to ${project.name}.`, { projectId: project.id });
      return ok(projectObject(project));
    }
    return null;
  }
  if (rest[0] === 'archive' && rest.length === 1 && method === 'POST') {
    project.archivedAt ??= state.now();
    state.emit('project.updated', `Project ${project.name} archived: its keys stop working.`, { projectId: project.id, archived: true });
    return ok(projectObject(project));
  }
  if (rest[0] === 'users') return projectUsersRoute(state, method, project.id, rest, body, query, page);
  if (rest[0] === 'api_keys') return apiKeysRoute(state, method, query, body, project, rest);
  if (rest[0] === 'service_accounts') return serviceAccountsRoute(state, method, query, body, project, rest);
  if (rest[0] === 'spend_limit' && rest.length === 1) return spendLimitRoute(state, method, body, project);
  if (rest[0] === 'spend_alerts') return spendAlertsRoute(state, method, query, body, project, rest);
  if (rest[0] === 'rate_limits') return rateLimitsRoute(state, method, query, body, project, rest);
  if (rest[0] === 'model_permissions' && rest.length === 1) return modelPermissionsRoute(state, method, body, project);
  return null;
}

function apiKeysRoute(state: PlatformState, method: string, query: URLSearchParams, body: Record<string, unknown>, project: ProjectRecord, rest: string[]): RouteResult {
  // Deleted (revoked) keys are gone from the Admin API, as on the real platform.
  const live = [...state.keys.values()].filter((k) => k.projectId === project.id && k.status === 'active' && k.kind !== 'admin');
  if (rest.length === 1) return method === 'GET' ? page(live.map((k) => apiKeyObject(state, k)), query) : null;
  const key = live.find((k) => k.id === rest[1]);
  if (rest.length !== 2) return null;
  if (!key) return notFound(`No API key found with id '${rest[1]}' in project '${project.id}'.`);
  if (method === 'GET') return ok(apiKeyObject(state, key));
  if (method === 'DELETE') {
    state.revokeKey(key.id, 'deleted with the Admin API');
    return ok({ object: 'organization.project.api_key.deleted', id: key.id, deleted: true });
  }
  if (method === 'POST') {
    if (body.scopes === undefined && body.expires_in_seconds === undefined) return invalid('Provide at least one of `scopes` or `expires_in_seconds`.');
    if (state.isExpired(key)) return invalid('Expired keys cannot be updated.');
    const scopes = scopesFrom(body.scopes);
    if (isReply(scopes)) return scopes;
    const expires = body.expires_in_seconds === undefined ? undefined : expiresFrom(state, body.expires_in_seconds);
    if (isReply(expires)) return expires;
    state.updateKey(key.id, { scopes, expiresAt: expires ?? undefined });
    return ok(apiKeyObject(state, key));
  }
  return null;
}

function serviceAccountsRoute(state: PlatformState, method: string, query: URLSearchParams, body: Record<string, unknown>, project: ProjectRecord, rest: string[]): RouteResult {
  const accounts = [...state.serviceAccounts.values()].filter((sa) => sa.projectId === project.id);
  if (rest.length === 1) {
    if (method === 'GET') return page(accounts.map(serviceAccountObject), query);
    if (method !== 'POST') return null;
    if (typeof body.name !== 'string' || !body.name) return invalid("Missing required parameter: 'name'.", 'name');
    const expires = expiresFrom(state, body.expires_in_seconds);
    if (isReply(expires)) return expires;
    const sa = state.createServiceAccount(project.id, body.name);
    const key = body.create_service_account_only === true ? null : state.createKey({ kind: 'service_account', projectId: project.id, name: 'Secret Key', serviceAccountId: sa.id, expiresAt: expires });
    return ok({ ...serviceAccountObject(sa), api_key: key ? newServiceAccountKeyObject(key) : null });
  }
  const sa = accounts.find((x) => x.id === rest[1]);
  if (!sa) return notFound(`No service account found with id '${rest[1]}' in project '${project.id}'.`);
  if (rest.length === 2) {
    if (method === 'GET') return ok(serviceAccountObject(sa));
    if (method === 'DELETE') {
      state.deleteServiceAccount(sa.id);
      return ok({ object: 'organization.project.service_account.deleted', id: sa.id, deleted: true });
    }
    if (method === 'POST') {
      if (typeof body.name === 'string' && body.name) sa.name = body.name;
      if (body.role === 'member' || body.role === 'owner') sa.role = body.role;
      return ok(serviceAccountObject(sa));
    }
    return null;
  }
  // The real Admin API's way to create a key with restricted permissions and an expiry.
  if (rest.length === 3 && rest[2] === 'api_keys' && method === 'POST') {
    const scopes = scopesFrom(body.scopes);
    if (isReply(scopes)) return scopes;
    const expires = expiresFrom(state, body.expires_in_seconds);
    if (isReply(expires)) return expires;
    const key = state.createKey({ kind: 'service_account', projectId: project.id, serviceAccountId: sa.id, name: typeof body.name === 'string' && body.name ? body.name : 'Secret Key', scopes, expiresAt: expires });
    return ok(newServiceAccountKeyObject(key));
  }
  return null;
}

function spendLimitRoute(state: PlatformState, method: string, body: Record<string, unknown>, project: ProjectRecord | null): RouteResult {
  const object = project ? 'project.spend_limit' : 'organization.spend_limit';
  const current = () => (project ? project.spendLimitUsd : state.orgSpendLimitUsd);
  const set = (usd: number | null) => {
    if (project) state.setSpendLimit(project.id, usd);
    else {
      state.orgSpendLimitUsd = usd;
      state.emit('spend_limit.updated', usd === null ? 'Organization hard spend limit removed.' : `Organization hard spend limit of $${usd.toFixed(2)} a month set.`, { projectId: null, spendLimitUsd: usd });
    }
  };
  if (method === 'GET') return ok(spendLimitObject(object, current()));
  if (method === 'DELETE') {
    set(null);
    return ok({ object: `${object}.deleted`, deleted: true });
  }
  if (method === 'POST') {
    const t = body.threshold_amount;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1) return invalid("Invalid 'threshold_amount': expected a whole number of US cents, at least 1 (e.g. 500 for $5.00).", 'threshold_amount');
    if (body.currency !== undefined && body.currency !== 'USD') return invalid("Invalid 'currency': only \"USD\" is supported.", 'currency');
    if (body.interval !== undefined && body.interval !== 'month') return invalid("Invalid 'interval': only \"month\" is supported.", 'interval');
    set(t / 100);
    return ok(spendLimitObject(object, current()));
  }
  return null;
}

function alertFromBody(body: Record<string, unknown>): { thresholdUsd: number; recipients: string[] } | Reply {
  const t = body.threshold_amount;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 1) return invalid("Invalid 'threshold_amount': expected a whole number of US cents, at least 1.", 'threshold_amount');
  const channel = body.notification_channel as { recipients?: unknown } | undefined;
  const recipients = Array.isArray(channel?.recipients) ? channel.recipients.filter((r): r is string => typeof r === 'string') : [];
  return { thresholdUsd: t / 100, recipients };
}

function spendAlertsRoute(state: PlatformState, method: string, query: URLSearchParams, body: Record<string, unknown>, project: ProjectRecord, rest: string[]): RouteResult {
  if (rest.length === 1) {
    if (method === 'GET') return page(project.spendAlerts.map(spendAlertObject), query);
    if (method !== 'POST') return null;
    const a = alertFromBody(body);
    if (isReply(a)) return a;
    const alert: SpendAlert = { id: `alert_${Math.random().toString(36).slice(2, 14)}`, ...a, firedMonth: null };
    project.spendAlerts.push(alert);
    state.emit('project.updated', `Spend alert at $${alert.thresholdUsd.toFixed(2)} added to ${project.name}.`, { projectId: project.id, alertId: alert.id });
    return ok(spendAlertObject(alert));
  }
  const alert = project.spendAlerts.find((a) => a.id === rest[1]);
  if (!alert || rest.length !== 2) return alert ? null : notFound(`No spend alert found with id '${rest[1]}'.`);
  if (method === 'GET') return ok(spendAlertObject(alert));
  if (method === 'DELETE') {
    project.spendAlerts.splice(project.spendAlerts.indexOf(alert), 1);
    return ok({ object: 'project.spend_alert.deleted', id: alert.id, deleted: true });
  }
  if (method === 'POST') {
    const a = alertFromBody(body);
    if (isReply(a)) return a;
    Object.assign(alert, a, { firedMonth: null });
    return ok(spendAlertObject(alert));
  }
  return null;
}

function rateLimitsRoute(state: PlatformState, method: string, query: URLSearchParams, body: Record<string, unknown>, project: ProjectRecord, rest: string[]): RouteResult {
  if (rest.length === 1) return method === 'GET' ? page(MODELS.map((m) => rateLimitObject(project, m.id)), query, 100) : null;
  if (rest.length !== 2 || method !== 'POST') return null;
  const model = rest[1]!.replace(/^rl-/, '');
  if (!findModel(model) || findModel(model)!.id !== model) return notFound(`No rate limit found with id '${rest[1]}'.`);
  const current = project.rateLimits[model] ?? DEFAULT_RATE_LIMIT;
  const next = { ...current };
  for (const [field, prop] of [['max_requests_per_1_minute', 'maxRequestsPer1Minute'], ['max_tokens_per_1_minute', 'maxTokensPer1Minute']] as const) {
    const v = body[field];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return invalid(`Invalid '${field}': expected a whole number, 0 or more.`, field);
    if (v > DEFAULT_RATE_LIMIT[prop]) return invalid(`Invalid '${field}': a project's rate limit cannot be above the organization's (${DEFAULT_RATE_LIMIT[prop]}).`, field);
    next[prop] = v;
  }
  project.rateLimits[model] = next;
  state.emit('rate_limit.updated', `Rate limit for ${model} in ${project.name}: ${next.maxRequestsPer1Minute} requests and ${next.maxTokensPer1Minute} tokens per minute.`, { projectId: project.id, model, ...next });
  return ok(rateLimitObject(project, model));
}

function modelPermissionsRoute(state: PlatformState, method: string, body: Record<string, unknown>, project: ProjectRecord): RouteResult {
  const view = () => ({ object: 'project.model_permissions', mode: project.modelPermissions?.mode ?? 'deny_list', model_ids: project.modelPermissions?.modelIds ?? [] });
  if (method === 'GET') return ok(view());
  if (method === 'DELETE') {
    state.setAllowedModels(project.id, null);
    return ok({ object: 'project.model_permissions.deleted', deleted: true });
  }
  if (method === 'POST') {
    if (body.mode !== 'allow_list' && body.mode !== 'deny_list') return invalid("Invalid 'mode': use \"allow_list\" or \"deny_list\".", 'mode');
    if (!Array.isArray(body.model_ids) || body.model_ids.some((m) => typeof m !== 'string')) return invalid("Invalid 'model_ids': expected an array of model ids.", 'model_ids');
    if (body.mode === 'allow_list') state.setAllowedModels(project.id, body.model_ids as string[]);
    else {
      project.modelPermissions = { mode: 'deny_list', modelIds: [...(body.model_ids as string[])] };
      state.emit('project.updated', `Project ${project.name} may not call: ${(body.model_ids as string[]).join(', ') || '(none)'}.`, { projectId: project.id });
    }
    return ok(view());
  }
  return null;
}

// ---- usage and costs -------------------------------------------------------------------------

function arrayParam(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(`${name}[]`), ...query.getAll(name)].flatMap((v) => v.split(',')).filter(Boolean);
}

interface Buckets {
  error?: Reply;
  starts: number[];
  width: number;
  hasMore: boolean;
  next: string | null;
}

function buckets(state: PlatformState, query: URLSearchParams, widths: Record<string, [number, number]>, defaultWidth: string): Buckets {
  const startTime = Number(query.get('start_time'));
  if (!query.get('start_time') || !Number.isFinite(startTime)) return { error: invalid("Missing required parameter: 'start_time' (Unix seconds).", 'start_time'), starts: [], width: 0, hasMore: false, next: null };
  const widthName = query.get('bucket_width') ?? defaultWidth;
  const spec = widths[widthName];
  if (!spec) return { error: invalid(`Invalid 'bucket_width': use ${Object.keys(widths).map((w) => `"${w}"`).join(' or ')}.`, 'bucket_width'), starts: [], width: 0, hasMore: false, next: null };
  const [width, defaultLimit] = spec;
  const end = Number(query.get('end_time')) || sec(state.now()) + 1;
  const limit = Math.max(1, Number(query.get('limit')) || defaultLimit);
  const from = Number(query.get('page')) || startTime;
  const starts: number[] = [];
  for (let t = from; t < end && starts.length < limit; t += width) starts.push(t);
  const after = from + starts.length * width;
  return { starts, width, hasMore: after < end, next: after < end ? String(after) : null };
}

function groupKey(entry: Record<string, unknown>, groupBy: string[]): string {
  return groupBy.map((g) => String(entry[g] ?? '')).join('|');
}

function usageCompletions(state: PlatformState, query: URLSearchParams): Reply {
  const b = buckets(state, query, { '1m': [60, 60], '1h': [3600, 24], '1d': [86400, 7] }, '1d');
  if (b.error) return b.error;
  const groupBy = arrayParam(query, 'group_by').filter((g) => ['project_id', 'api_key_id', 'model'].includes(g));
  const projects = arrayParam(query, 'project_ids');
  const keys = arrayParam(query, 'api_key_ids');
  const models = arrayParam(query, 'models');
  const data = b.starts.map((start) => {
    const groups = new Map<string, { project_id: string | null; api_key_id: string | null; model: string | null; input_tokens: number; output_tokens: number; num_model_requests: number }>();
    for (const e of state.ledger) {
      const t = sec(e.time);
      if (t < start || t >= start + b.width) continue;
      if (projects.length && !projects.includes(e.projectId)) continue;
      if (keys.length && !keys.includes(e.keyId)) continue;
      if (models.length && !models.includes(e.model)) continue;
      const fields = { project_id: e.projectId, api_key_id: e.keyId, model: e.model };
      const k = groupKey(fields, groupBy);
      let g = groups.get(k);
      if (!g) {
        g = { project_id: groupBy.includes('project_id') ? e.projectId : null, api_key_id: groupBy.includes('api_key_id') ? e.keyId : null, model: groupBy.includes('model') ? e.model : null, input_tokens: 0, output_tokens: 0, num_model_requests: 0 };
        groups.set(k, g);
      }
      g.input_tokens += e.inputTokens;
      g.output_tokens += e.outputTokens;
      g.num_model_requests += 1;
    }
    const results = [...groups.values()].map((g) => ({
      object: 'organization.usage.completions.result',
      ...g,
      input_cached_tokens: 0,
      input_audio_tokens: 0,
      output_audio_tokens: 0,
      user_id: null,
      batch: null,
    }));
    return { object: 'bucket', start_time: start, end_time: start + b.width, results };
  });
  return ok({ object: 'page', data, has_more: b.hasMore, next_page: b.next });
}

function costs(state: PlatformState, query: URLSearchParams): Reply {
  const b = buckets(state, query, { '1d': [86400, 7] }, '1d');
  if (b.error) return b.error;
  const groupBy = arrayParam(query, 'group_by').filter((g) => ['project_id', 'api_key_id', 'line_item'].includes(g));
  const projects = arrayParam(query, 'project_ids');
  const keys = arrayParam(query, 'api_key_ids');
  const data = b.starts.map((start) => {
    const groups = new Map<string, { project_id: string | null; api_key_id: string | null; line_item: string | null; value: number }>();
    const add = (fields: { project_id: string; api_key_id: string; line_item: string }, value: number) => {
      const k = groupKey(fields, groupBy);
      let g = groups.get(k);
      if (!g) {
        g = { project_id: groupBy.includes('project_id') ? fields.project_id : null, api_key_id: groupBy.includes('api_key_id') ? fields.api_key_id : null, line_item: groupBy.includes('line_item') ? fields.line_item : null, value: 0 };
        groups.set(k, g);
      }
      g.value += value;
    };
    for (const e of state.ledger) {
      const t = sec(e.time);
      if (t < start || t >= start + b.width) continue;
      if (projects.length && !projects.includes(e.projectId)) continue;
      if (keys.length && !keys.includes(e.keyId)) continue;
      const m = findModel(e.model)!;
      add({ project_id: e.projectId, api_key_id: e.keyId, line_item: `${m.id}, input` }, (e.inputTokens * m.inputPerMillion) / 1e6);
      add({ project_id: e.projectId, api_key_id: e.keyId, line_item: `${m.id}, output` }, (e.outputTokens * m.outputPerMillion) / 1e6);
    }
    const results = [...groups.values()].map(({ value, ...g }) => ({ object: 'organization.costs.result', amount: { value, currency: 'usd' }, ...g }));
    return { object: 'bucket', start_time: start, end_time: start + b.width, results };
  });
  return ok({ object: 'page', data, has_more: b.hasMore, next_page: b.next });
}

export type { OpenAIErrorBody };
export { maskKey };

/** Audit log: `after` pages towards older entries, `before` towards newer ones (ids as cursors). */
function auditLogs(state: PlatformState, query: URLSearchParams): Reply {
  const result = queryAuditLog(state, query);
  if (!result.ok) return invalid(result.message, result.param);
  const before = query.get('before');
  if (!before) return page(result.list, query);
  const limit = Math.max(1, Math.min(100, Number(query.get('limit')) || 20));
  const end = Math.max(0, result.list.findIndex((x) => x.id === before));
  const data = result.list.slice(Math.max(0, end - limit), end);
  return ok({ object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: end - limit > 0 });
}
