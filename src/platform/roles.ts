// Who may call which Admin API route: an Admin key acts for the organization (as an Owner; a key
// whose owner has since become a Reader acts as that Reader), a dashboard session (`sess-…`, the
// mock's stand-in for a signed-in person) acts as its user. See people.ts for the sources.
import type { People, UserRecord } from './people.ts';
import type { KeyRecord } from './types.ts';

export type Actor = { kind: 'admin-key'; key: KeyRecord; user: UserRecord | null } | { kind: 'session'; user: UserRecord };

export type Access = 'read' | 'write';

function orgRole(actor: Actor): 'owner' | 'reader' {
  if (actor.kind === 'admin-key' && actor.user === null) return 'owner';
  return actor.user!.role;
}

/** Organization management: users, invites, projects, Admin keys, organization limits, usage. */
export function canManageOrganization(actor: Actor): boolean {
  return orgRole(actor) === 'owner';
}

/** A project's own routes: settings, members, keys, service accounts, limits and alerts. */
export function canUseProjectRoute(actor: Actor, people: People, projectId: string, access: Access): boolean {
  if (canManageOrganization(actor)) return true;
  const role = people.projectRole(projectId, actor.user!.id);
  if (access === 'read') return role !== null;
  return role === 'owner';
}

/** Making one's own project key in the dashboard: project Owners and Members, not Viewers. */
export function canCreateOwnKey(user: UserRecord, people: People, projectId: string): boolean {
  if (user.role === 'owner') return true;
  const role = people.projectRole(projectId, user.id);
  return role === 'owner' || role === 'member';
}
