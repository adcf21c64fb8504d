// GET /v1/organization/audit_logs: the platform's events in the shape of OpenAI's audit log
// (openai-node 7.57 `admin.organization.auditLogs.list`), newest first. Only changes an audit log
// records appear (keys, projects, service accounts, rate limits); calls, simulations and clock moves
// do not. The course's leak-response chapter reads it to prove the leaked key was revoked before
// the new one was created.
import type { PlatformState } from './state.ts';
import type { EventActor, PlatformEvent } from './types.ts';

const COURSE_USER = { id: 'user-learner', email: 'learner@example.com' };
const sec = (ms: number) => Math.floor(ms / 1000);

export interface AuditLogEntry {
  id: string;
  type: string;
  effective_at: number;
  actor: Record<string, unknown> | null;
  project?: { id: string; name: string };
  [details: string]: unknown;
}

/** The audit-log type of a platform event and its details object; null when an audit log would not show it. */
function details(event: PlatformEvent): { type: string; resourceId: string; body: Record<string, unknown> } | null {
  const d = event.data;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (event.type) {
    case 'key.created':
    case 'key.rotated':
      return { type: 'api_key.created', resourceId: str(d.keyId), body: { id: d.keyId, data: { scopes: d.scopes ?? [] } } };
    case 'key.updated': {
      const changes: Record<string, unknown> = {};
      if (Array.isArray(d.scopes)) changes.scopes = d.scopes;
      if (typeof d.expiresAt === 'number') changes.expires_in_seconds = Math.max(0, sec(d.expiresAt - event.time));
      return { type: 'api_key.updated', resourceId: str(d.keyId), body: { id: d.keyId, changes_requested: changes } };
    }
    case 'key.revoked':
      // Revoking in the dashboard and DELETE in the Admin API are the same act: the key is deleted.
      return { type: 'api_key.deleted', resourceId: str(d.keyId), body: { id: d.keyId } };
    case 'project.created':
      return { type: 'project.created', resourceId: str(d.projectId), body: { id: d.projectId, data: { name: d.projectId, title: d.name ?? null } } };
    case 'project.updated':
      return { type: d.archived === true ? 'project.archived' : 'project.updated', resourceId: str(d.projectId), body: { id: d.projectId, changes_requested: {} } };
    case 'service_account.created':
      return { type: 'service_account.created', resourceId: str(d.serviceAccountId), body: { id: d.serviceAccountId, data: { role: d.role ?? 'member' } } };
    case 'service_account.deleted':
      return { type: 'service_account.deleted', resourceId: str(d.serviceAccountId), body: { id: d.serviceAccountId } };
    // People (people.ts): organization membership, invites and project roles.
    case 'user.added':
      return { type: 'user.added', resourceId: str(d.userId), body: { id: d.userId, data: { role: d.role } } };
    case 'user.updated':
      return { type: 'user.updated', resourceId: str(d.userId), body: { id: d.userId, changes_requested: { role: d.role } } };
    case 'user.deleted':
      return { type: 'user.deleted', resourceId: str(d.userId), body: { id: d.userId } };
    case 'invite.sent':
      return { type: 'invite.sent', resourceId: str(d.inviteId), body: { id: d.inviteId, data: { role: d.role } } };
    case 'invite.deleted':
      return { type: 'invite.deleted', resourceId: str(d.inviteId), body: { id: d.inviteId } };
    case 'project.user.updated':
      return { type: d.role === null ? 'role.assignment.deleted' : 'role.assignment.created', resourceId: str(d.userId), body: { id: d.userId, data: { project_id: d.projectId, role: d.role } } };
    case 'rate_limit.updated':
      return { type: 'rate_limit.updated', resourceId: str(d.projectId), body: { id: `rl-${str(d.projectId)}`, changes_requested: {} } };
    default:
      return null;
  }
}

function actorObject(actor: EventActor | undefined): Record<string, unknown> | null {
  if (!actor) return null;
  if (actor.type === 'session') return { type: 'session', session: { ip_address: actor.ipAddress, user: actor.user ?? COURSE_USER } };
  return {
    type: 'api_key',
    api_key: actor.serviceAccountId
      ? { id: actor.keyId, type: 'service_account', service_account: { id: actor.serviceAccountId } }
      : { id: actor.keyId, type: 'user', user: COURSE_USER },
  };
}

function actorIds(actor: EventActor | undefined): string[] {
  if (!actor) return [];
  if (actor.type === 'session') return [actor.user?.id ?? COURSE_USER.id];
  return actor.serviceAccountId ? [actor.keyId, actor.serviceAccountId] : [actor.keyId, COURSE_USER.id];
}

interface Row {
  entry: AuditLogEntry;
  resourceId: string;
  projectId: string | null;
  actorIds: string[];
}

/** Every audit-logged event, oldest first. */
function rows(state: PlatformState): Row[] {
  const out: Row[] = [];
  for (const event of state.events) {
    const d = details(event);
    if (!d) continue;
    const projectId = typeof event.data.projectId === 'string' ? event.data.projectId : null;
    const entry: AuditLogEntry = { id: `audit_log-${event.seq}`, type: d.type, effective_at: sec(event.time), actor: actorObject(event.actor), [d.type]: d.body };
    const project = projectId ? state.project(projectId) : undefined;
    if (project) entry.project = { id: project.id, name: project.name };
    out.push({ entry, resourceId: d.resourceId, projectId, actorIds: actorIds(event.actor) });
  }
  return out;
}

/**
 * A query list parameter as the SDK sends it (`event_types[]=a&event_types[]=b`, qs "brackets"),
 * also accepted plain (`event_types=a,b`) for curl.
 */
function listParam(query: URLSearchParams, name: string): string[] | null {
  const values = [...query.getAll(`${name}[]`), ...query.getAll(name).flatMap((v) => v.split(','))].filter(Boolean);
  return values.length ? values : null;
}

export type AuditQueryResult = { ok: true; list: AuditLogEntry[] } | { ok: false; message: string; param: string };

/** Filter the log by the Admin API's query parameters; newest first. */
export function queryAuditLog(state: PlatformState, query: URLSearchParams): AuditQueryResult {
  const range: Array<[string, (a: number, b: number) => boolean]> = [
    ['gt', (a, b) => a > b],
    ['gte', (a, b) => a >= b],
    ['lt', (a, b) => a < b],
    ['lte', (a, b) => a <= b],
  ];
  const bounds: Array<{ test: (a: number, b: number) => boolean; value: number }> = [];
  for (const [op, test] of range) {
    const raw = query.get(`effective_at[${op}]`);
    if (raw === null) continue;
    const value = Number(raw);
    if (!Number.isFinite(value)) return { ok: false, message: `Invalid 'effective_at[${op}]': expected Unix seconds such as 1764547200.`, param: `effective_at[${op}]` };
    bounds.push({ test, value });
  }
  const types = listParam(query, 'event_types');
  const projects = listParam(query, 'project_ids');
  const resources = listParam(query, 'resource_ids');
  const actors = listParam(query, 'actor_ids');
  const emails = listParam(query, 'actor_emails');
  const list = rows(state)
    .filter((r) => !types || types.includes(r.entry.type))
    .filter((r) => !projects || (r.projectId !== null && projects.includes(r.projectId)))
    .filter((r) => !resources || resources.includes(r.resourceId))
    .filter((r) => !actors || r.actorIds.some((id) => actors.includes(id)))
    .filter((r) => !emails || (r.actorIds.includes(COURSE_USER.id) && emails.includes(COURSE_USER.email)))
    .filter((r) => bounds.every((b) => b.test(r.entry.effective_at, b.value)))
    .map((r) => r.entry)
    .reverse();
  return { ok: true, list };
}
