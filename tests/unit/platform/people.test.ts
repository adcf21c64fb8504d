// Users, invites, organization and project roles, enforced on the Admin API routes, with the
// official SDK as the client (an Admin key, or a person's dashboard session acting as them).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { generateKey } from '../../../src/platform/index.ts';
import { parseSeed } from '../../../src/platform/seed.ts';
import { startFixture, caught, type Fixture } from './helpers.ts';

const DEV = 'proj_dev';
const PROD = 'proj_prod';
let f: Fixture;
let adminKey = '';
const teamSeed = (key: string, admin: string) => ({
  projects: [{ id: DEV, name: 'Development' }, { id: PROD, name: 'Production' }],
  users: [
    { id: 'user-ana', email: 'ana@example.com', role: 'owner' },
    { id: 'user-ben', email: 'ben@example.com', role: 'reader', projects: { [DEV]: 'member' } },
    { id: 'user-cy', email: 'cy@example.com', role: 'reader', projects: { [DEV]: 'viewer', [PROD]: 'owner' } },
  ],
  keys: [
    { value: key, projectId: DEV, kind: 'project', owner: 'ben@example.com', name: "Ben's key" },
    { value: admin, kind: 'admin' },
  ],
});

beforeEach(async () => {
  const key = generateKey('project');
  const admin = generateKey('admin');
  f = await startFixture({ seed: teamSeed(key, admin) });
  adminKey = admin;
  const adminClient = f.adminClient;
  f.adminClient = (k = adminKey) => adminClient(k);
});
afterEach(async () => f.platform.close());

async function signIn(user: string): Promise<OpenAI> {
  const { json } = await f.control(`users/${user}/session`, { body: {} });
  return f.adminClient(json.token);
}

describe('people on the Admin API', () => {
  it('lists users with their organization roles and project users with theirs', async () => {
    const users = (await f.adminClient().admin.organization.users.list()).data;
    expect(users.map((u) => [u.email, u.role])).toEqual([
      ['ana@example.com', 'owner'],
      ['ben@example.com', 'reader'],
      ['cy@example.com', 'reader'],
    ]);
    const dev = (await f.adminClient().admin.organization.projects.users.list(DEV)).data;
    expect(dev.map((u) => [u.email, u.role])).toEqual([
      ['ben@example.com', 'member'],
      ['cy@example.com', 'viewer'],
    ]);
    const [k] = (await f.adminClient().admin.organization.projects.apiKeys.list(DEV)).data;
    expect(k!.owner).toMatchObject({ type: 'user', user: { email: 'ben@example.com' } });
  });

  it('changes roles, and refuses to leave the organization without an Owner', async () => {
    const admin = f.adminClient().admin.organization;
    expect((await admin.users.update('user-ben', { role: 'owner' })).role).toBe('owner');
    expect((await admin.projects.users.update('user-ben', { project_id: DEV, role: 'viewer' })).role).toBe('viewer');
    await admin.users.update('user-ben', { role: 'reader' });
    const err = await caught(() => admin.users.update('user-ana', { role: 'reader' }));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain('needs at least one Owner');
    const bad = await caught(() => admin.users.update('user-ben', { role: 'admin' }));
    expect(bad.message).toContain('use "owner" or "reader"');
  });

  it('invites someone with project roles; accepted, they are a user with those roles', async () => {
    const admin = f.adminClient().admin.organization;
    const invite = await admin.invites.create({ email: 'dee@example.com', role: 'reader', projects: [{ id: DEV, role: 'member' }] });
    expect(invite).toMatchObject({ object: 'organization.invite', status: 'pending', role: 'reader' });
    expect((await f.control(`invites/${invite.id}/accept`, { body: {} })).status).toBe(200);
    const dee = (await admin.users.list()).data.find((u) => u.email === 'dee@example.com')!;
    expect(dee.role).toBe('reader');
    expect((await admin.projects.users.retrieve(dee.id, { project_id: DEV })).role).toBe('member');
    expect(f.platform.state.events.map((e) => e.type)).toEqual(expect.arrayContaining(['invite.sent', 'user.added', 'project.user.updated']));
  });
});

describe('roles enforced on the Admin API routes', () => {
  it('a Reader cannot create an Admin key, invite, or create a service account in a project they do not own', async () => {
    const ben = (await signIn('user-ben')).admin.organization;
    for (const attempt of [
      () => ben.adminAPIKeys.create({ name: 'mine' }),
      () => ben.invites.create({ email: 'eve@example.com', role: 'owner' }),
      () => ben.projects.serviceAccounts.create(DEV, { name: 'my-bot' }),
      () => ben.users.update('user-ben', { role: 'owner' }),
    ]) {
      const err = await caught(attempt);
      expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(err.status).toBe(401);
      expect(err.error).toMatchObject({ type: 'invalid_request_error', code: 'missing_scope' });
      expect(err.message).toContain('You have insufficient permissions for this operation. Missing scopes: api.management.write');
    }
    expect([...f.platform.state.keys.values()].filter((k) => k.kind === 'admin')).toHaveLength(1);
    expect(f.platform.state.serviceAccounts.size).toBe(0);
  });

  it('a project Owner (org Reader) manages that project only; a Reader sees only their projects', async () => {
    const cy = (await signIn('cy@example.com')).admin.organization;
    const sa = await cy.projects.serviceAccounts.create(PROD, { name: 'web' });
    expect(sa.api_key?.value).toMatch(/^sk-svcacct-/);
    expect((await caught(() => cy.projects.serviceAccounts.create(DEV, { name: 'x' }))).status).toBe(401);
    expect((await cy.projects.list()).data.map((p) => p.id)).toEqual([DEV, PROD]);
    const ben = (await signIn('user-ben')).admin.organization;
    expect((await ben.projects.list()).data.map((p) => p.id)).toEqual([DEV]);
    expect((await caught(() => ben.projects.apiKeys.list(PROD))).status).toBe(401);
  });

  it('an Owner (Admin key or session) may do all of it', async () => {
    const ana = (await signIn('ana@example.com')).admin.organization;
    const created = await ana.adminAPIKeys.create({ name: 'ci' });
    expect(created.value).toMatch(/^sk-admin-/);
    expect(created.owner).toMatchObject({ type: 'user', id: 'user-ana' });
    // That key acts as Ana; once she is a Reader, it is refused too.
    await f.adminClient().admin.organization.users.update('user-ben', { role: 'owner' });
    await f.adminClient().admin.organization.users.update('user-ana', { role: 'reader' });
    const err = await caught(() => f.adminClient(created.value).admin.organization.invites.create({ email: 'x@example.com', role: 'reader' }));
    expect(err.status).toBe(401);
  });

  it('a Member makes their own key in the dashboard; a Viewer is refused', async () => {
    const made = await f.control('users/user-ben/keys', { body: { projectId: DEV } });
    expect(made.status).toBe(200);
    expect(made.json.value).toMatch(/^sk-proj-/);
    const viewer = await f.control('users/user-cy/keys', { body: { projectId: DEV } });
    expect(viewer.status).toBe(401);
    expect(viewer.json.error.code).toBe('missing_scope');
    // The new key works with the SDK and belongs to Ben.
    const reply = await f.client(made.json.value).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.choices[0]!.message.content).toContain('hi');
    expect(f.platform.state.findKey(made.json.key.id)!.ownerUserId).toBe('user-ben');
  });

  it('the dashboard controls change roles (what the panel does)', async () => {
    expect((await f.control('users/cy@example.com', { body: { role: 'owner' } })).status).toBe(200);
    expect((await f.control(`projects/${DEV}/users/user-ben`, { body: { role: null } })).json.users.find((u: { id: string }) => u.id === 'user-ben').projects).toEqual({});
    const bad = await f.control('users/user-ben', { body: { role: 'boss' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('use "owner" or "reader"');
    const snap = (await f.control('state')).json;
    expect(snap.people.users.map((u: { email: string; role: string }) => `${u.email}:${u.role}`)).toEqual(['ana@example.com:owner', 'ben@example.com:reader', 'cy@example.com:owner']);
  });
});

describe('seed: users', () => {
  it('names the field and the fix for a bad user or key owner', () => {
    expect(() => parseSeed({ projects: [], users: [{ email: 'a@example.com', role: 'admin' }], keys: [] })).toThrow(/users\[0\]\.role.*Fix: use "owner" or "reader"/);
    expect(() => parseSeed({ projects: [{ id: 'p', name: 'P' }], users: [{ email: 'a@example.com', role: 'owner' }], keys: [{ value: 'sk-proj-x', kind: 'project', owner: 'b@example.com' }] })).toThrow(/keys\[0\]\.owner: no user "b@example.com"/);
    expect(() => parseSeed({ projects: [], users: [{ email: 'a@example.com', role: 'reader' }], keys: [] })).toThrow(/at least one Owner/);
  });
});
