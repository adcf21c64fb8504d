// Admin API routes for people, on OpenAI's paths and shapes (openai-node 7.57
// `client.admin.organization.users | invites | adminAPIKeys | projects.users`), and the role gate
// every Admin API route passes (roles.ts).
import { errorReply, type Reply } from './inference.ts';
import { redactKey } from './keys.ts';
import { invalidKeyError, missingKeyError, missingScopeError, hasScope, parseBearer } from './state.ts';
import type { PlatformState } from './state.ts';
import type { InviteRecord, OrgRole, ProjectRole, UserRecord } from './people.ts';
import { ORG_ROLES, PROJECT_ROLES } from './people.ts';
import { canManageOrganization, canUseProjectRoute, type Actor } from './roles.ts';
import type { KeyRecord } from './types.ts';

const sec = (ms: number) => Math.floor(ms / 1000);
const ok = (json: unknown): Reply => ({ status: 200, headers: {}, json });
const invalid = (message: string, param: string | null = null): Reply => errorReply(400, { message, type: 'invalid_request_error', param, code: null });
const notFound = (message: string): Reply => errorReply(404, { message, type: 'invalid_request_error', param: null, code: null });
const refused = (write: boolean): Reply => errorReply(401, missingScopeError(write ? 'api.management.write' : 'api.management.read'));

/** The caller of an Admin API route: an Admin key, or a dashboard session (`sess-…`) acting as a person. */
export function authorizeActor(state: PlatformState, authorization: string | undefined, write: boolean): Actor | Reply {
  const value = parseBearer(authorization);
  if (!value) return errorReply(401, missingKeyError());
  const sessionUser = value.startsWith('sess-') ? state.people.userBySession(value) : undefined;
  if (sessionUser) return { kind: 'session', user: sessionUser };
  const key = state.keyByValue(value);
  if (!key || key.status === 'revoked' || state.isExpired(key)) return errorReply(401, invalidKeyError(value));
  const scope = write ? 'api.management.write' : 'api.management.read';
  if (!hasScope(key, scope)) return errorReply(401, missingScopeError(scope));
  return { kind: 'admin-key', key, user: key.ownerUserId ? (state.people.users.get(key.ownerUserId) ?? null) : null };
}

/**
 * The role gate, before any route runs: organization routes need an Owner; a project's routes
 * need a role in that project (Owner to change anything). Listing projects shows a Reader only
 * the projects they belong to (handled by the project list itself).
 */
export function gate(state: PlatformState, actor: Actor, method: string, seg: string[]): Reply | null {
  const write = method !== 'GET';
  if (canManageOrganization(actor)) return null;
  if (seg[0] === 'projects') {
    if (seg.length === 1) return write ? refused(true) : null;
    if (!state.project(seg[1]!)) return null; // 404 as usual
    if (seg.length === 2 && write) return refused(true); // rename: organization management
    return canUseProjectRoute(actor, state.people, seg[1]!, write ? 'write' : 'read') ? null : refused(write);
  }
  return refused(write);
}

/** Projects an actor may see in the project list. */
export function visibleProject(state: PlatformState, actor: Actor, projectId: string): boolean {
  return canManageOrganization(actor) || state.people.projectRole(projectId, actor.user!.id) !== null;
}

// ---- object shapes -----------------------------------------------------------------------------

export function userObject(state: PlatformState, u: UserRecord) {
  const lastUsed = [...state.keys.values()].filter((k) => k.ownerUserId === u.id && k.lastUsedAt !== null).reduce((t, k) => Math.max(t, k.lastUsedAt!), 0);
  return { object: 'organization.user', id: u.id, name: u.name, email: u.email, role: u.role, added_at: sec(u.addedAt), api_key_last_used_at: lastUsed ? sec(lastUsed) : null, is_service_account: false };
}

function inviteObject(i: InviteRecord) {
  return { object: 'organization.invite', id: i.id, email: i.email, role: i.role, status: i.status, projects: i.projects, created_at: sec(i.createdAt), expires_at: sec(i.expiresAt), accepted_at: i.acceptedAt === null ? null : sec(i.acceptedAt) };
}

function projectUserObject(u: UserRecord, role: ProjectRole) {
  return { object: 'organization.project.user', id: u.id, name: u.name, email: u.email, role, added_at: sec(u.addedAt) };
}

function adminKeyObject(state: PlatformState, k: KeyRecord) {
  const owner = k.ownerUserId ? state.people.users.get(k.ownerUserId) : undefined;
  return {
    object: 'organization.admin_api_key',
    id: k.id,
    name: k.name,
    redacted_value: redactKey(k.value),
    created_at: sec(k.createdAt),
    expires_at: k.expiresAt === null ? null : sec(k.expiresAt),
    last_used_at: k.lastUsedAt === null ? null : sec(k.lastUsedAt),
    owner: owner ? { type: 'user', object: 'organization.user', id: owner.id, name: owner.name, role: owner.role, created_at: sec(owner.addedAt) } : { type: 'organization' },
  };
}

type Page = (items: Array<{ id: string }>, query: URLSearchParams) => Reply;

// ---- routes ----------------------------------------------------------------------------------

/** /organization/users, /invites, /admin_api_keys. null: not one of these routes. */
export function peopleRoute(state: PlatformState, actor: Actor, method: string, seg: string[], body: Record<string, unknown>, query: URLSearchParams, page: Page): Reply | null {
  const people = state.people;
  const attempt = (work: () => Reply): Reply => {
    try {
      return work();
    } catch (e) {
      return invalid((e as Error).message);
    }
  };
  if (seg[0] === 'users') {
    if (seg.length === 1) return method === 'GET' ? page([...people.users.values()].map((u) => userObject(state, u)), query) : null;
    const user = people.users.get(seg[1]!);
    if (!user) return notFound(`No user found with id '${seg[1]}'.`);
    if (method === 'GET') return ok(userObject(state, user));
    if (method === 'POST') {
      if (!ORG_ROLES.includes(body.role as OrgRole)) return invalid("Invalid 'role': use \"owner\" or \"reader\".", 'role');
      return attempt(() => ok(userObject(state, people.setOrgRole(user.id, body.role as OrgRole))));
    }
    if (method === 'DELETE') return attempt(() => (people.removeUser(user.id), ok({ object: 'organization.user.deleted', id: user.id, deleted: true })));
    return null;
  }
  if (seg[0] === 'invites') {
    if (seg.length === 1) {
      if (method === 'GET') return page([...people.invites.values()].map(inviteObject), query);
      if (method !== 'POST') return null;
      if (typeof body.email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(body.email)) return invalid("Invalid 'email': use an e-mail address such as \"ana@example.com\".", 'email');
      if (!ORG_ROLES.includes(body.role as OrgRole)) return invalid("Invalid 'role': use \"owner\" or \"reader\".", 'role');
      const projects = body.projects === undefined ? [] : body.projects;
      if (!Array.isArray(projects) || projects.some((p) => !p || typeof p.id !== 'string' || (p.role !== 'owner' && p.role !== 'member'))) {
        return invalid("Invalid 'projects': use a list such as [{ \"id\": \"proj_…\", \"role\": \"member\" }] (role \"owner\" or \"member\").", 'projects');
      }
      return attempt(() => ok(inviteObject(people.invite({ email: body.email as string, role: body.role as OrgRole, projects }))));
    }
    const invite = people.invites.get(seg[1]!);
    if (!invite) return notFound(`No invite found with id '${seg[1]}'.`);
    if (method === 'GET') return ok(inviteObject(invite));
    if (method === 'DELETE') return attempt(() => (people.deleteInvite(invite.id), ok({ object: 'organization.invite.deleted', id: invite.id, deleted: true })));
    return null;
  }
  if (seg[0] === 'admin_api_keys') {
    const adminKeys = [...state.keys.values()].filter((k) => k.kind === 'admin' && k.status === 'active');
    if (seg.length === 1) {
      if (method === 'GET') return page(adminKeys.map((k) => adminKeyObject(state, k)), query);
      if (method !== 'POST') return null;
      if (typeof body.name !== 'string' || !body.name) return invalid("Missing required parameter: 'name'.", 'name');
      const key = state.createKey({ kind: 'admin', name: body.name, ownerUserId: actor.user?.id ?? null });
      return ok({ ...adminKeyObject(state, key), value: key.value });
    }
    const key = adminKeys.find((k) => k.id === seg[1]);
    if (!key) return notFound(`No Admin API key found with id '${seg[1]}'.`);
    if (method === 'GET') return ok(adminKeyObject(state, key));
    if (method === 'DELETE') {
      state.revokeKey(key.id, 'deleted with the Admin API');
      return ok({ object: 'organization.admin_api_key.deleted', id: key.id, deleted: true });
    }
    return null;
  }
  return null;
}

/** /organization/projects/{id}/users[/{user}] */
export function projectUsersRoute(state: PlatformState, method: string, projectId: string, rest: string[], body: Record<string, unknown>, query: URLSearchParams, page: Page): Reply | null {
  const people = state.people;
  if (rest.length === 1) {
    if (method === 'GET') return page(people.projectUsers(projectId).map((x) => projectUserObject(x.user, x.role)), query);
    if (method !== 'POST') return null;
    const user = typeof body.user_id === 'string' ? people.users.get(body.user_id) : typeof body.email === 'string' ? people.userByEmail(body.email) : undefined;
    if (!user) return invalid("Give 'user_id' (or 'email') of a user in the organization; invite them first if they are not.", 'user_id');
    if (!PROJECT_ROLES.includes(body.role as ProjectRole)) return invalid("Invalid 'role': use \"owner\", \"member\" or \"viewer\".", 'role');
    if (people.projectRole(projectId, user.id)) return invalid(`${user.email} is already in this project; update their role instead.`, 'user_id');
    people.setProjectRole(projectId, user.id, body.role as ProjectRole);
    return ok(projectUserObject(user, body.role as ProjectRole));
  }
  const user = people.users.get(rest[1]!);
  const role = user ? people.projectRole(projectId, user.id) : null;
  if (!user || !role) return notFound(`No user found with id '${rest[1]}' in project '${projectId}'.`);
  if (method === 'GET') return ok(projectUserObject(user, role));
  if (method === 'POST') {
    if (!PROJECT_ROLES.includes(body.role as ProjectRole)) return invalid("Invalid 'role': use \"owner\", \"member\" or \"viewer\".", 'role');
    people.setProjectRole(projectId, user.id, body.role as ProjectRole);
    return ok(projectUserObject(user, body.role as ProjectRole));
  }
  if (method === 'DELETE') {
    people.setProjectRole(projectId, user.id, null);
    return ok({ object: 'organization.project.user.deleted', id: user.id, deleted: true });
  }
  return null;
}
