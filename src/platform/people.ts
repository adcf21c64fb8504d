// People in the organization: users with an organization role (owner / reader), invites, project
// roles (owner / member / viewer) and dashboard sessions. Pure (no node:*), like state.ts.
//
// Who may do what (roles.ts) follows OpenAI's RBAC guide (developers.openai.com/api/docs/guides/rbac):
// organization management (users, invites, projects, Admin keys) is for organization Owners;
// project settings, members and service accounts for project Owners (help.openai.com 8867743:
// "typically organization or project owners" create service-account keys); project Members use
// the API and make their own keys; Viewers only read.
import { newId, randomString } from './keys.ts';

export type OrgRole = 'owner' | 'reader';
export type ProjectRole = 'owner' | 'member' | 'viewer';
export const ORG_ROLES: readonly OrgRole[] = ['owner', 'reader'];
export const PROJECT_ROLES: readonly ProjectRole[] = ['owner', 'member', 'viewer'];

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: OrgRole;
  addedAt: number;
}

export interface InviteRecord {
  id: string;
  email: string;
  role: OrgRole;
  projects: Array<{ id: string; role: 'owner' | 'member' }>;
  status: 'pending' | 'accepted' | 'expired';
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
}

/** What People needs from the platform state: its clock and its event feed. */
export interface PeopleHost {
  now(): number;
  emit(type: 'user.added' | 'user.updated' | 'user.deleted' | 'invite.sent' | 'invite.deleted' | 'project.user.updated', message: string, data?: Record<string, unknown>): unknown;
  hasProject(id: string): boolean;
}

const INVITE_DAYS = 7;

export class People {
  readonly users = new Map<string, UserRecord>();
  readonly invites = new Map<string, InviteRecord>();
  /** projectId → userId → role */
  readonly projectRoles = new Map<string, Map<string, ProjectRole>>();
  private readonly sessions = new Map<string, string>(); // token → userId

  private readonly host: PeopleHost;

  constructor(host: PeopleHost) {
    this.host = host;
  }

  userByEmail(email: string): UserRecord | undefined {
    const e = email.trim().toLowerCase();
    return [...this.users.values()].find((u) => u.email.toLowerCase() === e);
  }

  /** A user by id or e-mail address. */
  find(idOrEmail: string): UserRecord | undefined {
    return this.users.get(idOrEmail) ?? this.userByEmail(idOrEmail);
  }

  addUser(input: { email: string; name?: string; role: OrgRole; id?: string }, announce = true): UserRecord {
    if (this.userByEmail(input.email)) throw new Error(`A user with the e-mail address ${input.email} is already in the organization.`);
    const id = input.id ?? newId('user-', 24);
    if (this.users.has(id)) throw new Error(`A user with id "${id}" already exists.`);
    const user: UserRecord = { id, email: input.email.trim(), name: input.name ?? input.email.split('@')[0]!, role: input.role, addedAt: this.host.now() };
    this.users.set(id, user);
    if (announce) this.host.emit('user.added', `${user.email} joined the organization as ${user.role === 'owner' ? 'an Owner' : 'a Reader'}.`, { userId: id, role: user.role });
    return user;
  }

  setOrgRole(userId: string, role: OrgRole): UserRecord {
    const user = this.mustUser(userId);
    if (user.role === role) return user;
    if (user.role === 'owner' && this.owners().length === 1) throw new Error('An organization needs at least one Owner: make someone else an Owner first.');
    user.role = role;
    this.host.emit('user.updated', `${user.email} is now ${role === 'owner' ? 'an Owner' : 'a Reader'} of the organization.`, { userId: user.id, role });
    return user;
  }

  removeUser(userId: string): void {
    const user = this.mustUser(userId);
    if (user.role === 'owner' && this.owners().length === 1) throw new Error('The last Owner cannot leave the organization: make someone else an Owner first.');
    this.users.delete(user.id);
    for (const roles of this.projectRoles.values()) roles.delete(user.id);
    for (const [token, id] of this.sessions) if (id === user.id) this.sessions.delete(token);
    this.host.emit('user.deleted', `${user.email} was removed from the organization.`, { userId: user.id });
  }

  owners(): UserRecord[] {
    return [...this.users.values()].filter((u) => u.role === 'owner');
  }

  projectRole(projectId: string, userId: string): ProjectRole | null {
    return this.projectRoles.get(projectId)?.get(userId) ?? null;
  }

  /** Give a user a role in a project, or take them out of it (null). */
  setProjectRole(projectId: string, userId: string, role: ProjectRole | null, announce = true): void {
    if (!this.host.hasProject(projectId)) throw new Error(`No project with id "${projectId}".`);
    const user = this.mustUser(userId);
    let roles = this.projectRoles.get(projectId);
    if (!roles) this.projectRoles.set(projectId, (roles = new Map()));
    if ((roles.get(user.id) ?? null) === role) return;
    if (role === null) roles.delete(user.id);
    else roles.set(user.id, role);
    if (announce) {
      this.host.emit('project.user.updated', role ? `${user.email} is now ${role === 'owner' ? 'an Owner' : role === 'member' ? 'a Member' : 'a Viewer'} of ${projectId}.` : `${user.email} was removed from ${projectId}.`, { projectId, userId: user.id, role });
    }
  }

  projectUsers(projectId: string): Array<{ user: UserRecord; role: ProjectRole }> {
    return [...(this.projectRoles.get(projectId) ?? new Map<string, ProjectRole>())].flatMap(([id, role]) => {
      const user = this.users.get(id);
      return user ? [{ user, role }] : [];
    });
  }

  invite(input: { email: string; role: OrgRole; projects?: Array<{ id: string; role: 'owner' | 'member' }> }): InviteRecord {
    if (this.userByEmail(input.email)) throw new Error(`${input.email} is already in the organization.`);
    for (const p of input.projects ?? []) if (!this.host.hasProject(p.id)) throw new Error(`No project with id "${p.id}".`);
    const now = this.host.now();
    const invite: InviteRecord = { id: newId('invite-', 24), email: input.email.trim(), role: input.role, projects: [...(input.projects ?? [])], status: 'pending', createdAt: now, expiresAt: now + INVITE_DAYS * 86_400_000, acceptedAt: null };
    this.invites.set(invite.id, invite);
    this.host.emit('invite.sent', `${invite.email} was invited as ${invite.role === 'owner' ? 'an Owner' : 'a Reader'}.`, { inviteId: invite.id, role: invite.role });
    return invite;
  }

  deleteInvite(id: string): InviteRecord {
    const invite = this.invites.get(id);
    if (!invite) throw new Error(`No invite with id "${id}".`);
    if (invite.status === 'accepted') throw new Error('This invite was already accepted; remove the user instead.');
    this.invites.delete(id);
    this.host.emit('invite.deleted', `The invite for ${invite.email} was withdrawn.`, { inviteId: id });
    return invite;
  }

  /** The invitee signs up (a course simulation): they join with the invite's roles. */
  acceptInvite(id: string): UserRecord {
    const invite = this.invites.get(id);
    if (!invite || invite.status !== 'pending') throw new Error(`No pending invite with id "${id}".`);
    if (this.host.now() >= invite.expiresAt) {
      invite.status = 'expired';
      throw new Error(`The invite for ${invite.email} expired; send a new one.`);
    }
    invite.status = 'accepted';
    invite.acceptedAt = this.host.now();
    const user = this.addUser({ email: invite.email, role: invite.role });
    for (const p of invite.projects) this.setProjectRole(p.id, user.id, p.role);
    return user;
  }

  /** A dashboard session for a user (the mock's stand-in for being signed in as them). */
  session(userId: string): string {
    this.mustUser(userId);
    const token = `sess-${randomString(40)}`;
    this.sessions.set(token, userId);
    return token;
  }

  userBySession(token: string): UserRecord | undefined {
    const id = this.sessions.get(token);
    return id ? this.users.get(id) : undefined;
  }

  private mustUser(id: string): UserRecord {
    const user = this.find(id);
    if (!user) throw new Error(`No user "${id}" in the organization.`);
    return user;
  }
}
