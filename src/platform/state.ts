// The platform's in-memory state and its rules (who may call what, spend, rate limits, ledger).
// Pure TypeScript: no node:* imports, so it is unit-testable on its own and runs anywhere.
// Every mutation is synchronous, so one request's check-then-record can never interleave with
// another's: nothing is lost or double-counted under concurrency.
import { findModel, costUsd, type ModelInfo } from './models.ts';
import { generateKey, maskKey, newId, redactKey, type KeyKind } from './keys.ts';
import type { Seed } from './seed.ts';
import { ipAllowed } from './ip.ts';
import { People } from './people.ts';
import type {
  Endpoint,
  EventActor,
  KeyRecord,
  LedgerEntry,
  PlatformEvent,
  PlatformEventType,
  PlatformMessage,
  ProjectRecord,
  RateLimit,
  Rejection,
  ServiceAccountRecord,
} from './types.ts';

export const ORGANIZATION_ID = 'org-leakproof';
export const DEFAULT_RATE_LIMIT: RateLimit = { maxRequestsPer1Minute: 30_000, maxTokensPer1Minute: 150_000_000 };

export interface CreateKeyInput {
  kind: KeyKind;
  projectId?: string | null;
  name?: string;
  scopes?: string[];
  expiresAt?: number | null;
  value?: string;
  id?: string;
  status?: 'active' | 'revoked';
  serviceAccountId?: string | null;
  rotatedFrom?: string | null;
  /** The person a project key belongs to (made in the dashboard), or an Admin key's creator. */
  ownerUserId?: string | null;
  /** Default: now (a seed may make a key that is already weeks old). */
  createdAt?: number;
}

/** Outcome of checking one inference call against keys, projects and limits. */
export type Admission =
  | { ok: true; key: KeyRecord; project: ProjectRecord; model: ModelInfo | null; rate: RateHeaders | null }
  | { ok: false; status: number; error: OpenAIErrorBody; headers: Record<string, string>; reason: string; key: KeyRecord | null };

export interface OpenAIErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface RateHeaders {
  'x-ratelimit-limit-requests': string;
  'x-ratelimit-limit-tokens': string;
  'x-ratelimit-remaining-requests': string;
  'x-ratelimit-remaining-tokens': string;
  'x-ratelimit-reset-requests': string;
  'x-ratelimit-reset-tokens': string;
}

const KEYS_URL = 'https://platform.openai.com/account/api-keys';

/** `20s`, `6ms`, `1m0s`: the duration format of OpenAI's x-ratelimit-reset-* headers. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number(s.toFixed(3))}s`;
  return `${Math.floor(s / 60)}m${Number((s % 60).toFixed(3))}s`;
}

export function monthOf(time: number): string {
  return new Date(time).toISOString().slice(0, 7);
}

/** Refused calls kept in memory (older ones are dropped and counted; GET /__platform/rejections says so). */
export const MAX_REJECTIONS = 1000;
/** Longest model name a rejection keeps (longer ones are cut and marked). */
export const MAX_REJECTED_MODEL_CHARS = 200;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters, cut)`;
}

export class PlatformState {
  readonly projects = new Map<string, ProjectRecord>();
  readonly keys = new Map<string, KeyRecord>();
  readonly serviceAccounts = new Map<string, ServiceAccountRecord>();
  readonly ledger: LedgerEntry[] = [];
  /** The most recent refused calls (at most MAX_REJECTIONS; `rejectionsDropped` counts older ones let go). */
  readonly rejections: Rejection[] = [];
  rejectionsDropped = 0;
  readonly events: PlatformEvent[] = [];
  /** Organization-wide hard spend limit in USD; null = none. */
  orgSpendLimitUsd: number | null = null;

  private readonly byValue = new Map<string, KeyRecord>();
  private readonly spend = new Map<string, number>(); // `${projectId}|${YYYY-MM}` → USD
  private readonly windows = new Map<string, { start: number; requests: number; tokens: number }>();
  private readonly listeners = new Set<(msg: PlatformMessage) => void>();
  private readonly baseClock: () => number;
  private offsetMs = 0;
  private seq = 0;

  /** Users, invites, project roles and dashboard sessions (people.ts). */
  readonly people: People;

  constructor(seed: Seed, clock: () => number = Date.now) {
    this.baseClock = clock;
    if (seed.now) this.offsetMs = Date.parse(seed.now) - clock();
    this.people = new People({ now: () => this.now(), emit: (type, message, data) => this.emit(type, message, data), hasProject: (id) => this.projects.has(id) });
    for (const p of seed.projects) {
      const project = this.createProject({ id: p.id, name: p.name }, false);
      if (p.allowedModels) project.modelPermissions = { mode: 'allow_list', modelIds: [...p.allowedModels] };
      if (p.spendLimitUsd !== undefined) project.spendLimitUsd = p.spendLimitUsd;
      if (p.ipAllowlist) project.ipAllowlist = [...p.ipAllowlist];
      for (const t of p.spendAlertsUsd ?? []) project.spendAlerts.push({ id: newId('alert_', 16), thresholdUsd: t, recipients: [], firedMonth: null });
      for (const r of p.rateLimits ?? []) {
        project.rateLimits[r.model] = {
          maxRequestsPer1Minute: r.maxRequestsPer1Minute ?? DEFAULT_RATE_LIMIT.maxRequestsPer1Minute,
          maxTokensPer1Minute: r.maxTokensPer1Minute ?? DEFAULT_RATE_LIMIT.maxTokensPer1Minute,
        };
      }
    }
    for (const sa of seed.serviceAccounts ?? []) {
      this.serviceAccounts.set(sa.id, { id: sa.id, projectId: sa.projectId, name: sa.name, role: 'member', createdAt: this.now() });
    }
    for (const u of seed.users ?? []) {
      const user = this.people.addUser({ id: u.id, email: u.email, name: u.name, role: u.role }, false);
      for (const [projectId, role] of Object.entries(u.projects ?? {})) this.people.setProjectRole(projectId, user.id, role, false);
    }
    const firstProject = seed.projects[0]?.id ?? null;
    const start = this.now();
    for (const k of seed.keys) {
      this.createKey(
        {
          kind: k.kind,
          value: k.value,
          id: k.id,
          name: k.name,
          projectId: k.kind === 'admin' ? null : (k.projectId ?? firstProject),
          scopes: k.scopes,
          status: k.status,
          expiresAt:
            k.expiresInSeconds !== undefined ? start + k.expiresInSeconds * 1000 : k.expiresAt === undefined ? null : typeof k.expiresAt === 'number' ? k.expiresAt * 1000 : Date.parse(k.expiresAt),
          createdAt: k.ageSeconds !== undefined ? start - k.ageSeconds * 1000 : undefined,
          serviceAccountId: k.serviceAccountId ?? null,
          ownerUserId: k.owner ? this.people.find(k.owner)!.id : null,
        },
        false,
      );
    }
  }

  // ---- clock ----------------------------------------------------------------------------------

  now(): number {
    if (this.frozenAt !== null) return this.frozenAt;
    return this.baseClock() + this.offsetMs;
  }

  /** Move the platform clock (for key expiry and monthly spend). */
  advanceClock(ms: number): void {
    this.offsetMs += ms;
    this.emit('clock.changed', `Clock moved ${ms >= 0 ? 'forward' : 'back'} by ${formatDuration(Math.abs(ms))}.`, { now: this.now() });
  }

  /** Run `work` as if the clock read `time` (a seed's past traffic), then put the clock back. No event. */
  at<T>(time: number, work: () => T): T {
    const before = this.frozenAt;
    this.frozenAt = time;
    try {
      return work();
    } finally {
      this.frozenAt = before;
    }
  }

  private frozenAt: number | null = null;

  setClock(time: number): void {
    this.offsetMs = time - this.baseClock();
    this.emit('clock.changed', `Clock set to ${new Date(time).toISOString()}.`, { now: time });
  }

  // ---- live subscribers -------------------------------------------------------------------------

  subscribe(listener: (msg: PlatformMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(msg: PlatformMessage): void {
    for (const l of this.listeners) {
      try {
        l(msg);
      } catch {
        // A broken subscriber (closed socket) must never break a request.
      }
    }
  }

  /**
   * Run `change` with `actor` as the author of every event it emits (the audit log names them).
   * Synchronous on purpose: no other request can run in between and borrow the actor.
   */
  withActor<T>(actor: EventActor, change: () => T): T {
    const before = this.actor;
    this.actor = actor;
    try {
      return change();
    } finally {
      this.actor = before;
    }
  }

  private actor: EventActor | null = null;

  emit(type: PlatformEventType, message: string, data: Record<string, unknown> = {}): PlatformEvent {
    const event: PlatformEvent = { seq: ++this.seq, time: this.now(), type, message, data };
    if (this.actor) event.actor = this.actor;
    this.events.push(event);
    this.publish({ kind: 'event', event });
    return event;
  }

  // ---- projects ---------------------------------------------------------------------------------

  createProject(input: { id?: string; name: string }, announce = true): ProjectRecord {
    const id = input.id ?? newId('proj_', 24);
    if (this.projects.has(id)) throw new Error(`A project with id "${id}" already exists.`);
    const project: ProjectRecord = {
      id,
      name: input.name,
      createdAt: this.now(),
      archivedAt: null,
      modelPermissions: null,
      spendLimitUsd: null,
      spendAlerts: [],
      rateLimits: {},
      ipAllowlist: null,
    };
    this.projects.set(id, project);
    if (announce) this.emit('project.created', `Project ${project.name} (${id}) created.`, { projectId: id });
    return project;
  }

  project(id: string): ProjectRecord | undefined {
    return this.projects.get(id);
  }

  /** Model permission check: null permissions = every model. Snapshots match their base model. */
  modelAllowed(project: ProjectRecord, modelId: string): boolean {
    const perms = project.modelPermissions;
    if (!perms) return true;
    const base = findModel(modelId)?.id ?? modelId;
    const listed = perms.modelIds.includes(modelId) || perms.modelIds.includes(base);
    return perms.mode === 'allow_list' ? listed : !listed;
  }

  setAllowedModels(projectId: string, models: string[] | null): void {
    const project = this.mustProject(projectId);
    const before = JSON.stringify(project.modelPermissions);
    if (before === JSON.stringify(models ? { mode: 'allow_list', modelIds: models } : null)) return;
    project.modelPermissions = models ? { mode: 'allow_list', modelIds: [...models] } : null;
    this.emit('project.updated', models ? `Project ${project.name} may now call only: ${models.join(', ') || '(no models)'}.` : `Project ${project.name} may call every model.`, {
      projectId,
      allowedModels: models,
    });
  }

  setSpendLimit(projectId: string, usd: number | null): void {
    const project = this.mustProject(projectId);
    if (project.spendLimitUsd === usd) return;
    project.spendLimitUsd = usd;
    this.emit('spend_limit.updated', usd === null ? `Hard spend limit removed from ${project.name}.` : `Hard spend limit of $${usd.toFixed(2)} a month set on ${project.name}.`, {
      projectId,
      spendLimitUsd: usd,
    });
  }

  setIpAllowlist(projectId: string, list: string[] | null): void {
    const project = this.mustProject(projectId);
    if (JSON.stringify(project.ipAllowlist) === JSON.stringify(list)) return;
    project.ipAllowlist = list ? [...list] : null;
    this.emit('project.updated', list ? `Project ${project.name} now accepts calls only from: ${list.join(', ') || '(nowhere)'}.` : `Project ${project.name} accepts calls from any address.`, {
      projectId,
      ipAllowlist: list,
    });
  }

  rateLimit(project: ProjectRecord, model: string): RateLimit {
    const base = findModel(model)?.id ?? model;
    return project.rateLimits[base] ?? DEFAULT_RATE_LIMIT;
  }

  /** Spend of a project in the current month of the platform clock. */
  spentUsd(projectId: string, month = monthOf(this.now())): number {
    return this.spend.get(`${projectId}|${month}`) ?? 0;
  }

  orgSpentUsd(month = monthOf(this.now())): number {
    let total = 0;
    for (const [k, v] of this.spend) if (k.endsWith(`|${month}`)) total += v;
    return total;
  }

  private mustProject(id: string): ProjectRecord {
    const p = this.projects.get(id);
    if (!p) throw new Error(`No project with id "${id}".`);
    return p;
  }

  // ---- keys -------------------------------------------------------------------------------------

  createKey(input: CreateKeyInput, announce = true): KeyRecord {
    const projectId = input.kind === 'admin' ? null : (input.projectId ?? null);
    if (input.kind !== 'admin' && (!projectId || !this.projects.has(projectId))) {
      throw new Error(`No project with id "${projectId}" for the new key.`);
    }
    const value = input.value ?? generateKey(input.kind);
    if (this.byValue.has(value)) throw new Error('A key with this value already exists.');
    const id = input.id ?? newId('key_', 16);
    if (this.keys.has(id)) throw new Error(`A key with id "${id}" already exists.`);
    const now = this.now();
    const createdAt = input.createdAt ?? now;
    const key: KeyRecord = {
      id,
      value,
      kind: input.kind,
      projectId,
      name: input.name ?? (input.kind === 'admin' ? 'Admin key' : input.kind === 'service_account' ? 'Service account key' : 'Secret key'),
      status: input.status ?? 'active',
      scopes: [...(input.scopes ?? [])],
      createdAt,
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: input.status === 'revoked' ? now : null,
      serviceAccountId: input.serviceAccountId ?? null,
      rotatedFrom: input.rotatedFrom ?? null,
      ownerUserId: input.ownerUserId ?? null,
    };
    this.keys.set(id, key);
    this.byValue.set(value, key);
    if (announce) {
      this.emit('key.created', `Key ${key.name} (${redactKey(value)}) created${projectId ? ` in ${projectId}` : ''}${key.scopes.length ? ` with permissions ${key.scopes.join(', ')}` : ''}.`, {
        keyId: id,
        projectId,
        scopes: key.scopes,
      });
    }
    return key;
  }

  keyByValue(value: string): KeyRecord | undefined {
    return this.byValue.get(value);
  }

  /** A key by id, or by its full value (the engine knows the planted key's value). */
  findKey(idOrValue: string): KeyRecord | undefined {
    return this.keys.get(idOrValue) ?? this.byValue.get(idOrValue);
  }

  revokeKey(id: string, reason = 'revoked'): KeyRecord {
    const key = this.keys.get(id);
    if (!key) throw new Error(`No key with id "${id}".`);
    if (key.status !== 'revoked') {
      key.status = 'revoked';
      key.revokedAt = this.now();
      this.emit('key.revoked', `Key ${key.name} (${redactKey(key.value)}) revoked: it now gets 401 invalid_api_key.`, { keyId: id, projectId: key.projectId, reason });
    }
    return key;
  }

  /**
   * Undo a revocation. The real platform cannot do this (a deleted key is gone); the course uses it
   * only to put its own platform back after a check that revoked a key on purpose.
   */
  restoreKey(id: string, reason = 'restored by the course'): KeyRecord {
    const key = this.keys.get(id);
    if (!key) throw new Error(`No key with id "${id}".`);
    if (key.status === 'revoked') {
      key.status = 'active';
      key.revokedAt = null;
      this.emit('key.restored', `Key ${key.name} (${redactKey(key.value)}) restored (${reason}): it works again.`, { keyId: id, projectId: key.projectId, reason });
    }
    return key;
  }

  /** Safe rotation: a new key with the same project and permissions; the old one stays until revoked. */
  rotateKey(id: string, options: { revokeOld?: boolean } = {}): KeyRecord {
    const old = this.keys.get(id);
    if (!old) throw new Error(`No key with id "${id}".`);
    const fresh = this.createKey(
      { kind: old.kind, projectId: old.projectId, name: old.name, scopes: old.scopes, expiresAt: old.expiresAt, serviceAccountId: old.serviceAccountId, rotatedFrom: old.id, ownerUserId: old.ownerUserId },
      false,
    );
    this.emit('key.rotated', `Key ${old.name} rotated: new key ${redactKey(fresh.value)} created${options.revokeOld ? ' and the old one revoked' : '; revoke the old one once the app uses the new key'}.`, {
      keyId: fresh.id,
      oldKeyId: old.id,
      projectId: old.projectId,
    });
    if (options.revokeOld) this.revokeKey(old.id, 'rotated');
    return fresh;
  }

  updateKey(id: string, patch: { scopes?: string[]; expiresAt?: number | null; name?: string }): KeyRecord {
    const key = this.keys.get(id);
    if (!key) throw new Error(`No key with id "${id}".`);
    if (patch.scopes) key.scopes = [...patch.scopes];
    if (patch.expiresAt !== undefined) key.expiresAt = patch.expiresAt;
    if (patch.name) key.name = patch.name;
    this.emit('key.updated', `Key ${key.name} (${redactKey(key.value)}) updated: permissions ${key.scopes.length ? key.scopes.join(', ') : 'All'}${key.expiresAt ? `, expires ${new Date(key.expiresAt).toISOString()}` : ''}.`, {
      keyId: id,
      scopes: key.scopes,
      expiresAt: key.expiresAt,
    });
    return key;
  }

  isExpired(key: KeyRecord): boolean {
    return key.expiresAt !== null && this.now() >= key.expiresAt;
  }

  // ---- service accounts -----------------------------------------------------------------------

  createServiceAccount(projectId: string, name: string): ServiceAccountRecord {
    this.mustProject(projectId);
    const sa: ServiceAccountRecord = { id: newId('svc_acct_', 20), projectId, name, role: 'member', createdAt: this.now() };
    this.serviceAccounts.set(sa.id, sa);
    this.emit('service_account.created', `Service account ${name} created in ${projectId}.`, { serviceAccountId: sa.id, projectId });
    return sa;
  }

  /** Deleting a service account deletes (revokes) its keys too, as on the real platform. */
  deleteServiceAccount(id: string): void {
    const sa = this.serviceAccounts.get(id);
    if (!sa) throw new Error(`No service account with id "${id}".`);
    for (const key of this.keys.values()) if (key.serviceAccountId === id) this.revokeKey(key.id, 'service account deleted');
    this.serviceAccounts.delete(id);
    this.emit('service_account.deleted', `Service account ${sa.name} deleted with its keys.`, { serviceAccountId: id, projectId: sa.projectId });
  }

  // ---- the inference gate -----------------------------------------------------------------------

  /**
   * Check one inference call, in OpenAI's order: key known and usable (401), scope (401), model
   * exists (404), project may use the model (403), spend limits (429), rate limits (429). On success
   * the caller must `record` the call before yielding (both are synchronous).
   */
  admit(call: { authorization: string | undefined; endpoint: Endpoint; model: string | null; tokens: number; scope: string; source: string; simulated?: boolean }): Admission {
    const reject = (status: number, error: OpenAIErrorBody, reason: string, key: KeyRecord | null, headers: Record<string, string> = {}): Admission => {
      this.reject({ status, code: error.code, reason, key, model: call.model, endpoint: call.endpoint, source: call.source, simulated: call.simulated ?? false });
      return { ok: false, status, error, headers, reason, key };
    };
    const value = parseBearer(call.authorization);
    if (!value) return reject(401, missingKeyError(), 'no_key', null);
    const key = this.byValue.get(value);
    if (!key || key.status === 'revoked' || this.isExpired(key)) {
      const reason = !key ? 'unknown_key' : key.status === 'revoked' ? 'revoked' : 'expired';
      return reject(401, invalidKeyError(value), reason, key ?? null);
    }
    if (!hasScope(key, call.scope)) return reject(401, missingScopeError(call.scope), 'missing_scope', key);
    const project = key.projectId ? this.projects.get(key.projectId) : undefined;
    if (!project) return reject(401, missingScopeError(call.scope), 'missing_scope', key);
    if (project.archivedAt !== null) return reject(401, invalidKeyError(value), 'project_archived', key);
    // Simulated calls carry their (foreign) source address, so the allowlist stops them too.
    if (project.ipAllowlist && !ipAllowed(call.source, project.ipAllowlist)) {
      return reject(401, { message: `IP not authorized: ${call.source} is not in the IP allowlist of project \`${project.id}\`.`, type: 'invalid_request_error', param: null, code: null }, 'ip_not_allowed', key);
    }
    if (call.model === null) return { ok: true, key, project, model: null, rate: null };
    const model = findModel(call.model);
    if (!model) {
      return reject(404, { message: `The model \`${call.model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' }, 'unknown_model', key);
    }
    if (!this.modelAllowed(project, call.model)) {
      return reject(403, { message: `Project \`${project.id}\` does not have access to model \`${call.model}\``, type: 'invalid_request_error', param: null, code: 'model_not_found' }, 'model_not_allowed', key);
    }
    // Spend: a limit that has been reached refuses calls (a limit of 0 refuses the first one).
    // Retrying cannot help, so tell the SDK not to (x-should-retry: false).
    const noRetry = { 'x-should-retry': 'false' };
    if (this.orgSpendLimitUsd !== null && this.orgSpentUsd() >= this.orgSpendLimitUsd) {
      return reject(429, {
        message: "You exceeded your organization's hard spend limit for this month. Raise or remove the limit in your organization's limits settings, or wait for the monthly reset.",
        type: 'insufficient_quota',
        param: null,
        code: 'organization_spend_limit_exceeded',
      }, 'org_spend_limit', key, noRetry);
    }
    if (project.spendLimitUsd !== null && this.spentUsd(project.id) >= project.spendLimitUsd) {
      return reject(429, {
        message: `Project \`${project.id}\` exceeded its hard spend limit for this month. Raise or remove the project's spend limit, or wait for the monthly reset.`,
        type: 'insufficient_quota',
        param: null,
        code: 'project_spend_limit_exceeded',
      }, 'project_spend_limit', key, noRetry);
    }
    // Rate limits: fixed one-minute windows per project and model.
    const limit = this.rateLimit(project, model.id);
    const now = this.now();
    const start = Math.floor(now / 60_000) * 60_000;
    const wkey = `${project.id}|${model.id}`;
    let w = this.windows.get(wkey);
    if (!w || w.start !== start) {
      w = { start, requests: 0, tokens: 0 };
      this.windows.set(wkey, w);
    }
    const resetMs = start + 60_000 - now;
    const rate = (requests: number, tokens: number): RateHeaders => ({
      'x-ratelimit-limit-requests': String(limit.maxRequestsPer1Minute),
      'x-ratelimit-limit-tokens': String(limit.maxTokensPer1Minute),
      'x-ratelimit-remaining-requests': String(Math.max(0, limit.maxRequestsPer1Minute - requests)),
      'x-ratelimit-remaining-tokens': String(Math.max(0, limit.maxTokensPer1Minute - tokens)),
      'x-ratelimit-reset-requests': formatDuration(requests > 0 ? resetMs : 0),
      'x-ratelimit-reset-tokens': formatDuration(tokens > 0 ? resetMs : 0),
    });
    const overRequests = w.requests + 1 > limit.maxRequestsPer1Minute;
    const overTokens = w.tokens + call.tokens > limit.maxTokensPer1Minute;
    if (overRequests || overTokens) {
      const wait = formatDuration(resetMs);
      const message = overRequests
        ? `Rate limit reached for ${model.id} in organization ${ORGANIZATION_ID} on requests per min (RPM): Limit ${limit.maxRequestsPer1Minute}, Used ${w.requests}, Requested 1. Please try again in ${wait}. Visit https://platform.openai.com/account/rate-limits to learn more.`
        : `Rate limit reached for ${model.id} in organization ${ORGANIZATION_ID} on tokens per min (TPM): Limit ${limit.maxTokensPer1Minute}, Used ${w.tokens}, Requested ${call.tokens}. Please try again in ${wait}. Visit https://platform.openai.com/account/rate-limits to learn more.`;
      return reject(
        429,
        { message, type: overRequests ? 'requests' : 'tokens', param: null, code: 'rate_limit_exceeded' },
        'rate_limit',
        key,
        { ...rate(w.requests, w.tokens), 'retry-after': String(Math.max(1, Math.ceil(resetMs / 1000))) },
      );
    }
    w.requests += 1;
    w.tokens += call.tokens;
    return { ok: true, key, project, model, rate: rate(w.requests, w.tokens) };
  }

  /** Record an admitted call in the ledger, add its cost to the month's spend, fire alerts. */
  record(call: { key: KeyRecord; project: ProjectRecord; model: ModelInfo; endpoint: Endpoint; requestedModel: string; inputTokens: number; outputTokens: number; source: string; stream: boolean; simulated?: boolean }): LedgerEntry {
    const time = this.now();
    const cost = costUsd(call.model, call.inputTokens, call.outputTokens);
    const entry: LedgerEntry = {
      seq: this.ledger.length + 1,
      time,
      keyId: call.key.id,
      keyMasked: maskKey(call.key.value),
      projectId: call.project.id,
      model: call.requestedModel,
      endpoint: call.endpoint,
      inputTokens: call.inputTokens,
      outputTokens: call.outputTokens,
      costUsd: cost,
      source: call.source,
      stream: call.stream,
      simulated: call.simulated ?? false,
    };
    this.ledger.push(entry);
    call.key.lastUsedAt = time;
    const month = monthOf(time);
    const skey = `${call.project.id}|${month}`;
    const before = this.spend.get(skey) ?? 0;
    const after = before + cost;
    this.spend.set(skey, after);
    this.publish({ kind: 'ledger', entry });
    for (const alert of call.project.spendAlerts) {
      if (alert.firedMonth !== month && after >= alert.thresholdUsd) {
        alert.firedMonth = month;
        this.emit('spend_alert.triggered', `Spend alert: ${call.project.name} has spent $${after.toFixed(2)} this month (alert at $${alert.thresholdUsd.toFixed(2)}). Alerts only notify; calls continue.`, {
          projectId: call.project.id,
          alertId: alert.id,
          spentUsd: after,
          thresholdUsd: alert.thresholdUsd,
        });
      }
    }
    const limit = call.project.spendLimitUsd;
    if (limit !== null && before < limit && after >= limit) {
      this.emit('spend_limit.reached', `${call.project.name} reached its hard spend limit of $${limit.toFixed(2)}: further calls get 429 project_spend_limit_exceeded.`, {
        projectId: call.project.id,
        spentUsd: after,
        spendLimitUsd: limit,
      });
    }
    return entry;
  }

  private reject(r: { status: number; code: string | null; reason: string; key: KeyRecord | null; model: string | null; endpoint: string; source: string; simulated: boolean }): void {
    const rejection: Rejection = {
      seq: this.rejections.length + this.rejectionsDropped + 1,
      time: this.now(),
      keyId: r.key?.id ?? null,
      keyMasked: r.key ? maskKey(r.key.value) : null,
      projectId: r.key?.projectId ?? null,
      // The model name comes from the caller's body: a multi-megabyte one must not be kept whole.
      model: r.model === null ? null : clip(r.model, MAX_REJECTED_MODEL_CHARS),
      endpoint: r.endpoint,
      status: r.status,
      code: r.code,
      reason: r.reason,
      source: r.source,
      simulated: r.simulated,
    };
    this.rejections.push(rejection);
    // Bounded memory: a program that hammers the platform with refused calls keeps only the latest.
    if (this.rejections.length > MAX_REJECTIONS) {
      const drop = this.rejections.length - MAX_REJECTIONS;
      this.rejections.splice(0, drop);
      this.rejectionsDropped += drop;
    }
    this.publish({ kind: 'rejection', rejection });
  }

  /** Record a refused call that failed before the gate (bad JSON, missing parameter…). */
  recordBadRequest(r: { endpoint: string; status: number; code: string | null; reason: string; key: KeyRecord | null; model: string | null; source: string }): void {
    this.reject({ ...r, simulated: false });
  }
}

export function parseBearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/**
 * Restricted keys list their scopes; an empty list means All. `api.all.read` grants every read
 * scope (`api.model.read`…), never `model.request`.
 */
export function hasScope(key: KeyRecord, scope: string): boolean {
  if (key.kind === 'admin') return scope.startsWith('api.management.');
  if (scope.startsWith('api.management.')) return false;
  if (key.scopes.length === 0) return true;
  if (key.scopes.includes(scope)) return true;
  return scope.endsWith('.read') && key.scopes.includes('api.all.read');
}

export function missingKeyError(): OpenAIErrorBody {
  return {
    message:
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    type: 'invalid_request_error',
    param: null,
    code: null,
  };
}

export function invalidKeyError(value: string): OpenAIErrorBody {
  return { message: `Incorrect API key provided: ${maskKey(value)}. You can find your API key at ${KEYS_URL}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' };
}

/**
 * A restricted key outside its scopes: 401 with code `missing_scope` (FACTS.md, help.openai.com
 * article 8867743; issue 5). The message keeps the wording public reports show (2025–2026); some of
 * those reports show `code: null`, so code that handles this error should match on status and message too.
 */
export function missingScopeError(scope: string): OpenAIErrorBody {
  const roles = scope.startsWith('api.management.') ? 'in your organization' : 'in your organization (Reader, Writer, Owner) and project (Viewer, Member, Owner)';
  return {
    message: `You have insufficient permissions for this operation. Missing scopes: ${scope}. Check that you have the correct role ${roles}, and if you're using a restricted API key, that it has the necessary scopes.`,
    type: 'invalid_request_error',
    param: null,
    code: 'missing_scope',
  };
}
