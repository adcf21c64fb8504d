// The official SDK's Admin API methods (client.admin.organization…) against the mock platform.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startFixture, caught, PROJECT, type Fixture } from './helpers.ts';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture();
});
afterEach(async () => f.platform.close());

const ask = (client: OpenAI, model = 'gpt-4o-mini') => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('Admin API: keys', () => {
  it('lists and retrieves project keys without their values', async () => {
    const page = await f.adminClient().admin.organization.projects.apiKeys.list(PROJECT);
    expect(page.data).toHaveLength(1);
    const k = page.data[0]!;
    expect(k.object).toBe('organization.project.api_key');
    expect(k.redacted_value).toBe(`sk-proj-...${f.key.slice(-4)}`);
    expect(JSON.stringify(page.data)).not.toContain(f.key);
    const one = await f.adminClient().admin.organization.projects.apiKeys.retrieve(k.id, { project_id: PROJECT });
    expect(one.id).toBe(k.id);
    expect(one.owner.type).toBe('user');
  });

  it('deleting a key revokes it: the next call gets 401 invalid_api_key', async () => {
    await ask(f.client());
    const [k] = (await f.adminClient().admin.organization.projects.apiKeys.list(PROJECT)).data;
    const del = await f.adminClient().admin.organization.projects.apiKeys.delete(k!.id, { project_id: PROJECT });
    expect(del).toEqual({ object: 'organization.project.api_key.deleted', id: k!.id, deleted: true });
    const err = await caught(() => ask(f.client()));
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe('invalid_api_key');
    expect((await f.adminClient().admin.organization.projects.apiKeys.list(PROJECT)).data).toHaveLength(0);
    expect(f.platform.state.events.some((e) => e.type === 'key.revoked' && e.data.keyId === k!.id)).toBe(true);
  });

  it('updates a key\'s scopes, which then hold', async () => {
    const [k] = (await f.adminClient().admin.organization.projects.apiKeys.list(PROJECT)).data;
    await f.adminClient().admin.organization.projects.apiKeys.update(k!.id, { project_id: PROJECT, scopes: ['api.all.read'] });
    await f.client().models.list();
    expect(await caught(() => ask(f.client()))).toBeInstanceOf(OpenAI.AuthenticationError);
    const bad = await caught(() => f.adminClient().admin.organization.projects.apiKeys.update(k!.id, { project_id: PROJECT, expires_in_seconds: 10 ** 9 }));
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('refuses a project key on the Admin API (401, missing api.management scope) and an unknown admin key', async () => {
    const notAdmin = new OpenAI({ adminAPIKey: f.key, baseURL: f.platform.baseURL });
    const err = await caught(() => notAdmin.admin.organization.projects.list());
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.error.message).toMatch(/Missing scopes: api\.management\.read\./);
    const unknown = await caught(() => f.adminClient('sk-admin-unknown-0000000000').admin.organization.projects.list());
    expect(unknown.code).toBe('invalid_api_key');
    // …and an admin key cannot call models.
    expect(await caught(() => ask(f.client(f.admin)))).toBeInstanceOf(OpenAI.AuthenticationError);
  });
});

describe('Admin API: service accounts', () => {
  it('creating one returns a working key; deleting it revokes that key', async () => {
    const sa = await f.adminClient().admin.organization.projects.serviceAccounts.create(PROJECT, { name: 'ci-deploy' });
    expect(sa.api_key!.value).toMatch(/^sk-svcacct-[A-Za-z0-9_-]{156}$/);
    await ask(f.client(sa.api_key!.value));
    expect((await f.adminClient().admin.organization.projects.serviceAccounts.list(PROJECT)).data.map((s) => s.id)).toEqual([sa.id]);
    const keys = (await f.adminClient().admin.organization.projects.apiKeys.list(PROJECT)).data;
    expect(keys.find((k) => k.owner.type === 'service_account')!.owner.service_account!.id).toBe(sa.id);
    await f.adminClient().admin.organization.projects.serviceAccounts.delete(sa.id, { project_id: PROJECT });
    expect((await caught(() => ask(f.client(sa.api_key!.value)))).code).toBe('invalid_api_key');
  });

  it('creates a restricted, expiring key for a service account', async () => {
    const sa = await f.adminClient().admin.organization.projects.serviceAccounts.create(PROJECT, { name: 'reader', create_service_account_only: true });
    expect(sa.api_key).toBeNull();
    const key = await f.adminClient().admin.organization.projects.serviceAccounts.apiKeys.create(sa.id, { project_id: PROJECT, name: 'read only', scopes: ['api.model.read'], expires_in_seconds: 3600 });
    // The platform clock is real time here: allow the second to tick between creation and check.
    expect(Math.abs(key.expires_at! - (Math.floor(f.platform.state.now() / 1000) + 3600))).toBeLessThanOrEqual(1);
    await f.client(key.value).models.list();
    expect(await caught(() => ask(f.client(key.value)))).toBeInstanceOf(OpenAI.AuthenticationError);
    f.platform.state.advanceClock(3601_000);
    expect((await caught(() => f.client(key.value).models.list())).code).toBe('invalid_api_key');
  });
});

describe('Admin API: limits', () => {
  it('sets a spend limit (in cents) that then holds, retrieves and deletes it', async () => {
    const sl = f.adminClient().admin.organization.projects.spendLimit;
    expect(await sl.retrieve(PROJECT)).toMatchObject({ object: 'project.spend_limit', threshold_amount: 0, enforcement: { status: 'inactive' } });
    const set = await sl.update(PROJECT, { currency: 'USD', interval: 'month', threshold_amount: 1 });
    expect(set).toMatchObject({ threshold_amount: 1, enforcement: { status: 'enforcing' } });
    // $0.01 at gpt-4.1 prices: a few large calls reach it, then the project is refused.
    let err: any;
    for (let i = 0; i < 100 && !err; i++) {
      try {
        await f.client().chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'y'.repeat(4000) }] });
      } catch (e) {
        err = e;
      }
    }
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.code).toBe('project_spend_limit_exceeded');
    await sl.delete(PROJECT);
    await ask(f.client());
    expect(await caught(() => sl.update(PROJECT, { currency: 'USD', interval: 'month', threshold_amount: 0 }))).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('an organization spend limit refuses every project', async () => {
    await f.adminClient().admin.organization.spendLimit.update({ currency: 'USD', interval: 'month', threshold_amount: 1 });
    f.platform.state.orgSpendLimitUsd = 0;
    expect((await caught(() => ask(f.client()))).code).toBe('organization_spend_limit_exceeded');
  });

  it('model permissions from the Admin API hold', async () => {
    const mp = f.adminClient().admin.organization.projects.modelPermissions;
    await mp.update(PROJECT, { mode: 'allow_list', model_ids: ['gpt-4o-mini'] });
    expect(await mp.retrieve(PROJECT)).toEqual({ object: 'project.model_permissions', mode: 'allow_list', model_ids: ['gpt-4o-mini'] });
    await ask(f.client());
    expect(await caught(() => ask(f.client(), 'gpt-5'))).toBeInstanceOf(OpenAI.PermissionDeniedError);
    await mp.update(PROJECT, { mode: 'deny_list', model_ids: ['gpt-4o-mini'] });
    expect((await caught(() => ask(f.client()))).status).toBe(403);
    await ask(f.client(), 'gpt-5');
    await mp.delete(PROJECT);
    await ask(f.client());
  });

  it('rate limits list per model and an update holds', async () => {
    const rl = f.adminClient().admin.organization.projects.rateLimits;
    const page = await rl.listRateLimits(PROJECT);
    expect(page.data.find((r) => r.model === 'gpt-4o-mini')).toMatchObject({ id: 'rl-gpt-4o-mini', object: 'project.rate_limit' });
    const updated = await rl.updateRateLimit('rl-gpt-4o-mini', { project_id: PROJECT, max_requests_per_1_minute: 0 });
    expect(updated.max_requests_per_1_minute).toBe(0);
    const err = await caught(() => f.client(undefined, { maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }));
    expect(err.code).toBe('rate_limit_exceeded');
  });

  it('spend alerts notify without blocking', async () => {
    await f.adminClient().admin.organization.projects.spendAlerts.create(PROJECT, { currency: 'USD', interval: 'month', threshold_amount: 1, notification_channel: { type: 'email', recipients: ['team@example.com'] } });
    for (let i = 0; i < 20; i++) await f.client().chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'z'.repeat(8000) }] });
    expect(f.platform.state.events.filter((e) => e.type === 'spend_alert.triggered')).toHaveLength(1);
  });
});

describe('Admin API: projects, usage and costs', () => {
  it('creates and lists projects', async () => {
    const p = await f.adminClient().admin.organization.projects.create({ name: 'Second' });
    expect(p.id).toMatch(/^proj_/);
    const all = await f.adminClient().admin.organization.projects.list();
    expect(all.data.map((x) => x.name)).toEqual(['Course', 'Second']);
    expect(await caught(() => f.adminClient().admin.organization.projects.retrieve('proj_missing'))).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('usage and costs add up to the ledger', async () => {
    for (let i = 0; i < 3; i++) await ask(f.client());
    await ask(f.client(), 'gpt-4.1');
    const start = Math.floor(f.platform.state.now() / 1000) - 3600;
    const usage = await f.adminClient().admin.organization.usage.completions({ start_time: start, bucket_width: '1h', group_by: ['model'] });
    const results = usage.data.flatMap((b) => b.results) as Array<{ model?: string | null; num_model_requests: number; input_tokens: number }>;
    expect(results.find((r) => r.model === 'gpt-4o-mini')!.num_model_requests).toBe(3);
    expect(results.find((r) => r.model === 'gpt-4.1')!.num_model_requests).toBe(1);
    const ledgerInput = f.platform.state.ledger.reduce((s, e) => s + e.inputTokens, 0);
    expect(results.reduce((s, r) => s + r.input_tokens, 0)).toBe(ledgerInput);
    const costs = await f.adminClient().admin.organization.usage.costs({ start_time: start, group_by: ['project_id'] });
    const total = costs.data.flatMap((b) => b.results).reduce((s, r: any) => s + r.amount.value, 0);
    expect(total).toBeCloseTo(f.platform.state.ledger.reduce((s, e) => s + e.costUsd, 0), 12);
  });
});

describe('Admin API: pagination', () => {
  it('the SDK pages through keys with limit and after', async () => {
    for (let i = 0; i < 4; i++) f.platform.state.createKey({ kind: 'project', projectId: PROJECT, name: `k${i}` });
    const seen: string[] = [];
    for await (const k of f.adminClient().admin.organization.projects.apiKeys.list(PROJECT, { limit: 2 })) seen.push(k.name);
    expect(seen).toEqual(['planted key', 'k0', 'k1', 'k2', 'k3']);
    const first = await f.adminClient().admin.organization.projects.apiKeys.list(PROJECT, { limit: 2 });
    expect(first.has_more).toBe(true);
    expect(first.data).toHaveLength(2);
  });
});
