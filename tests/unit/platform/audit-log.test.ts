// The audit log through the official SDK (client.admin.organization.auditLogs.list): what changed,
// who changed it, in which order — the leak-response chapter proves "revoked before replaced" here.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startFixture, caught, PROJECT, type Fixture } from './helpers.ts';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture();
});
afterEach(async () => f.platform.close());

const plantedId = () => f.platform.state.findKey(f.key)!.id;

describe('Admin API: audit log', () => {
  it('starts empty: seeded keys and projects are not changes', async () => {
    const page = await f.adminClient().admin.organization.auditLogs.list();
    expect(page.data).toEqual([]);
  });

  it('records a dashboard revoke and a new key, newest first, with the session as actor', async () => {
    const id = plantedId();
    expect((await f.control(`keys/${id}/revoke`, { body: {} })).status).toBe(200);
    const created = await f.control('keys', { body: { name: 'after the leak' } });
    const page = await f.adminClient().admin.organization.auditLogs.list();
    expect(page.data.map((e) => e.type)).toEqual(['api_key.created', 'api_key.deleted']);
    const [newest, oldest] = page.data;
    expect(oldest!['api_key.deleted']).toEqual({ id });
    expect(newest!['api_key.created']).toEqual({ id: created.json.key.id, data: { scopes: [] } });
    expect(oldest!.actor).toEqual({ type: 'session', session: { ip_address: '127.0.0.1', user: { id: 'user-learner', email: 'learner@example.com' } } });
    expect(oldest!.project).toEqual({ id: PROJECT, name: 'Course' });
    expect(newest!.effective_at).toBeGreaterThanOrEqual(oldest!.effective_at);
    expect(JSON.stringify(page.data)).not.toContain(f.key);
  });

  it('names the admin key as actor of Admin API changes (delete, service account, project)', async () => {
    const admin = f.adminClient().admin.organization;
    await admin.projects.apiKeys.delete(plantedId(), { project_id: PROJECT });
    const sa = await admin.projects.serviceAccounts.create(PROJECT, { name: 'deploy' });
    await admin.projects.create({ name: 'Second' });
    const page = await admin.auditLogs.list();
    expect(page.data.map((e) => e.type)).toEqual(['project.created', 'api_key.created', 'service_account.created', 'api_key.deleted']);
    const adminKeyId = f.platform.state.findKey(f.admin)!.id;
    for (const e of page.data) expect(e.actor).toEqual({ type: 'api_key', api_key: { id: adminKeyId, type: 'user', user: { id: 'user-learner', email: 'learner@example.com' } } });
    expect(page.data[2]!['service_account.created']).toEqual({ id: sa.id, data: { role: 'member' } });
    expect(page.data[1]!['api_key.created']!.id).toBe(sa.api_key!.id);
  });

  it('filters by event type, resource and time as the SDK sends them (event_types[]=…)', async () => {
    const id = plantedId();
    await f.control(`keys/${id}/revoke`, { body: {} });
    await f.control('keys', { body: {} });
    await f.control('keys', { body: {} });
    const admin = f.adminClient().admin.organization;
    const deleted = await admin.auditLogs.list({ event_types: ['api_key.deleted'] });
    expect(deleted.data.map((e) => e.type)).toEqual(['api_key.deleted']);
    const one = await admin.auditLogs.list({ resource_ids: [id] });
    expect(one.data).toHaveLength(1);
    const future = await admin.auditLogs.list({ effective_at: { gt: Math.floor(Date.now() / 1000) + 3600 } });
    expect(future.data).toEqual([]);
    const other = await admin.auditLogs.list({ project_ids: ['proj_other'] });
    expect(other.data).toEqual([]);
  });

  it('pages with after (older) and before (newer)', async () => {
    for (let i = 0; i < 5; i++) await f.control('keys', { body: {} });
    const admin = f.adminClient().admin.organization;
    const first = await admin.auditLogs.list({ limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const all: string[] = [];
    for await (const e of admin.auditLogs.list({ limit: 2 })) all.push(e.id);
    expect(all).toHaveLength(5);
    expect(new Set(all).size).toBe(5);
    const newer = await admin.auditLogs.list({ before: all[3]!, limit: 2 });
    expect(newer.data.map((e) => e.id)).toEqual([all[1], all[2]]);
  });

  it('refuses a project key (401 missing_scope) and a bad time filter (400)', async () => {
    const asProject = new OpenAI({ adminAPIKey: f.key, baseURL: f.platform.baseURL });
    const err = await caught(() => asProject.admin.organization.auditLogs.list());
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe('missing_scope');
    const res = await fetch(`${f.platform.baseURL}/organization/audit_logs?effective_at[gte]=yesterday`, { headers: { authorization: `Bearer ${f.admin}` } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('effective_at[gte]');
  });
});
