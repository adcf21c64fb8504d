// Key rotation on the mock platform, driven as chapter 7's script drives it: the official SDK's Admin
// API creates a restricted, expiring service-account key, traffic moves to it, the old key is deleted.
import { afterEach, describe, expect, it } from 'vitest';
import { parseSeed } from '../../../src/platform/index.ts';
import { caught, startFixture, PROJECT, type Fixture } from './helpers.ts';
import { generateKey } from '../../../src/platform/index.ts';

const DAY = 86_400;
let f: Fixture | null = null;
afterEach(async () => {
  await f?.platform.close();
  f = null;
});

async function agedFixture(): Promise<Fixture> {
  const key = generateKey('project');
  const admin = generateKey('admin');
  const fx = await startFixture({
    seed: {
      projects: [{ id: PROJECT, name: 'Course' }],
      serviceAccounts: [{ id: 'svc_acct_server', projectId: PROJECT, name: 'chat-server' }],
      keys: [
        { value: key, projectId: PROJECT, kind: 'project', id: 'key_old', ageSeconds: 80 * DAY, expiresInSeconds: 10 * DAY },
        { value: admin, kind: 'admin' },
      ],
    },
  });
  return { ...fx, key, admin, client: (k = key, o = {}) => fx.client(k, o), adminClient: (a = admin) => fx.adminClient(a) };
}

describe('seed: aged keys and service accounts', () => {
  it('starts a key 80 days old that expires in 10 days, and a service account', async () => {
    f = await agedFixture();
    const old = f.platform.state.keys.get('key_old')!;
    const now = f.platform.state.now();
    expect(Math.round((now - old.createdAt) / 1000 / DAY)).toBe(80);
    expect(Math.round((old.expiresAt! - now) / 1000 / DAY)).toBe(10);
    const accounts = await f.adminClient().admin.organization.projects.serviceAccounts.list(PROJECT);
    expect(accounts.data.map((a) => a.name)).toEqual(['chat-server']);
  });

  it.each([
    [{ projects: [{ id: 'p', name: 'P' }], keys: [{ value: 'k', kind: 'project', expiresAt: 1, expiresInSeconds: 5 }] }, /keys\[0\]\.expiresInSeconds: give either expiresAt or expiresInSeconds/],
    [{ projects: [{ id: 'p', name: 'P' }], keys: [{ value: 'k', kind: 'project', serviceAccountId: 'svc_x' }] }, /keys\[0\]\.serviceAccountId: no service account with id "svc_x"/],
    [{ projects: [{ id: 'p', name: 'P' }], serviceAccounts: [{ id: 's', projectId: 'q', name: 'S' }] }, /serviceAccounts\[0\]\.projectId: no project with id "q"/],
    [{ projects: [{ id: 'p', name: 'P' }], keys: [{ value: 'k', kind: 'project', ageSeconds: -1 }] }, /keys\[0\]\.ageSeconds: .*Fix: use a number of seconds, 0 or more/],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => parseSeed(input)).toThrow(message);
  });
});

describe('a safe rotation with the official SDK', () => {
  it('create (restricted, expiring) → traffic on the new key → delete the old one', async () => {
    f = await agedFixture();
    const admin = f.adminClient().admin.organization.projects;
    const fresh = await admin.serviceAccounts.apiKeys.create('svc_acct_server', { project_id: PROJECT, name: 'chat-server 2', scopes: ['model.request'], expires_in_seconds: 30 * DAY });
    expect(fresh.value).toMatch(/^sk-svcacct-/);
    expect(fresh.expires_at! - fresh.created_at).toBe(30 * DAY);

    // Before any traffic the Admin API shows the new key unused.
    expect((await admin.apiKeys.retrieve(fresh.id, { project_id: PROJECT })).last_used_at).toBeNull();
    const reply = await f.client(fresh.value).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.choices[0]!.message.content).toContain('(mock');
    expect((await admin.apiKeys.retrieve(fresh.id, { project_id: PROJECT })).last_used_at).not.toBeNull();

    // Restricted to model requests: listing models needs api.model.read.
    const scoped = await caught(() => f!.client(fresh.value, { maxRetries: 0 }).models.list());
    expect(scoped.status).toBe(401);
    expect(scoped.code).toBe('missing_scope');

    // Find the old key by its redacted value, then delete it.
    const list = await admin.apiKeys.list(PROJECT);
    const old = list.data.find((k) => k.id !== fresh.id && k.redacted_value.endsWith(f!.key.slice(-4)));
    expect(old?.id).toBe('key_old');
    await admin.apiKeys.delete(old!.id, { project_id: PROJECT });
    const refused = await caught(() => f!.client(f!.key, { maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }));
    expect(refused.status).toBe(401);
    expect(refused.code).toBe('invalid_api_key');
    expect(f.platform.state.rejections.at(-1)?.reason).toBe('revoked');
  });

  it('the course controls give a check the value of a key, by id (never to an API key)', async () => {
    f = await agedFixture();
    const r = await f.control('keys/key_old/value');
    expect(r).toEqual({ status: 200, json: { id: 'key_old', value: f.key } });
    expect((await f.control('keys/key_nope/value')).status).toBe(404);
    expect((await f.control('keys/key_old/value', { token: f.admin })).status).toBe(401);
  });

  it('a revoked key can be restored by the course controls (only there), and works again', async () => {
    f = await agedFixture();
    const ask = () => f!.client(f!.key, { maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect((await f.control('keys/key_old/revoke', { body: {} })).json.key.status).toBe('revoked');
    expect((await caught(ask)).code).toBe('invalid_api_key');
    const restored = await f.control('keys/key_old/restore', { body: { reason: 'check done' } });
    expect(restored.json.key.status).toBe('active');
    expect(f.platform.state.events.at(-1)).toMatchObject({ type: 'key.restored', data: { keyId: 'key_old', reason: 'check done' } });
    expect((await ask()).choices[0]!.message.content).toContain('(mock');
  });
});
