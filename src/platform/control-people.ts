// Course controls for people (the dashboard panel and the checks): org and project roles, a
// person's own key made in the dashboard, "sign in as" sessions, and accepting an invite.
import { errorReply, type Reply } from './inference.ts';
import { missingScopeError } from './state.ts';
import type { PlatformState } from './state.ts';
import { ORG_ROLES, PROJECT_ROLES, type OrgRole, type ProjectRole } from './people.ts';
import { canCreateOwnKey } from './roles.ts';

const ok = (json: unknown): Reply => ({ status: 200, headers: {}, json });
const bad = (message: string, param: string | null = null): Reply => errorReply(400, { message, type: 'invalid_request_error', param, code: null });
const missing = (message: string): Reply => errorReply(404, { message, type: 'invalid_request_error', param: null, code: null });

export interface PersonView {
  id: string;
  email: string;
  name: string;
  role: OrgRole;
  /** projectId → role */
  projects: Record<string, ProjectRole>;
}

export function peopleView(state: PlatformState): { users: PersonView[]; invites: Array<{ id: string; email: string; role: OrgRole; status: string }> } {
  const users = [...state.people.users.values()].map((u) => {
    const projects: Record<string, ProjectRole> = {};
    for (const p of state.projects.keys()) {
      const role = state.people.projectRole(p, u.id);
      if (role) projects[p] = role;
    }
    return { id: u.id, email: u.email, name: u.name, role: u.role, projects };
  });
  const invites = [...state.people.invites.values()].map((i) => ({ id: i.id, email: i.email, role: i.role, status: i.status }));
  return { users, invites };
}

/** Handles /__platform/users…, /__platform/projects/:id/users/:user, /__platform/invites/:id/accept; null otherwise. */
export function peopleControl(state: PlatformState, method: string, seg: string[], b: Record<string, unknown>): Reply | null {
  const people = state.people;
  const attempt = (work: () => Reply): Reply => {
    try {
      return work();
    } catch (e) {
      return bad((e as Error).message);
    }
  };
  if (method === 'GET' && seg.length === 1 && seg[0] === 'people') return ok(peopleView(state));
  if (method === 'POST' && seg[0] === 'invites' && seg.length === 3 && seg[2] === 'accept') {
    return attempt(() => ok({ user: people.acceptInvite(seg[1]!) }));
  }
  if (method === 'POST' && seg[0] === 'projects' && seg[2] === 'users' && seg.length === 4) {
    const user = people.find(seg[3]!);
    if (!user) return missing(`No user "${seg[3]}" in the organization.`);
    if (b.role !== null && !PROJECT_ROLES.includes(b.role as ProjectRole)) return bad('Invalid "role": use "owner", "member", "viewer", or null to take them out of the project.', 'role');
    return attempt(() => (people.setProjectRole(seg[1]!, user.id, b.role as ProjectRole | null), ok(peopleView(state))));
  }
  if (seg[0] !== 'users' || seg.length < 2 || method !== 'POST') return null;
  const user = people.find(seg[1]!);
  if (!user) return missing(`No user "${seg[1]}" in the organization.`);
  if (seg.length === 2) {
    if (!ORG_ROLES.includes(b.role as OrgRole)) return bad('Invalid "role": use "owner" or "reader".', 'role');
    return attempt(() => (people.setOrgRole(user.id, b.role as OrgRole), ok(peopleView(state))));
  }
  if (seg.length === 3 && seg[2] === 'session') return ok({ user: user.id, token: people.session(user.id) });
  if (seg.length === 3 && seg[2] === 'keys') {
    // A person makes their own key in the dashboard (the Admin API cannot: FACTS.md).
    const projectId = typeof b.projectId === 'string' ? b.projectId : '';
    if (!state.project(projectId)) return bad(`No project with id "${projectId}".`, 'projectId');
    if (!canCreateOwnKey(user, people, projectId)) return errorReply(401, missingScopeError('api.keys.write'));
    const key = state.createKey({ kind: 'project', projectId, name: typeof b.name === 'string' && b.name ? b.name : `${user.name}'s key`, ownerUserId: user.id });
    return ok({ key: { id: key.id, projectId, owner: user.id }, value: key.value });
  }
  return null;
}
