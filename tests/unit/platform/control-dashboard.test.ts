// Course controls the dashboard panel uses for chapter 4: service-account keys, spend alerts with
// recipients, and the key lookup checks use to learn which key a learner's .env holds. The effects
// are read back through the official SDK's Admin API.
import { afterEach, describe, expect, it } from 'vitest';
import { startFixture, PROJECT, type Fixture } from './helpers.ts';

let f: Fixture | null = null;
afterEach(async () => {
  await f?.platform.close();
  f = null;
});

describe('dashboard controls', () => {
  it('a service-account key gets its own service account, which the Admin API lists', async () => {
    f = await startFixture();
    const r = await f.control('keys', { body: { kind: 'service_account', name: 'nightly report', projectId: PROJECT, scopes: ['model.request'] } });
    expect(r.status).toBe(200);
    expect(r.json.value).toMatch(/^sk-svcacct-/);
    expect(r.json.key.serviceAccountId).toMatch(/^svc_acct_/);
    const accounts = await f.adminClient().admin.organization.projects.serviceAccounts.list(PROJECT);
    expect(accounts.data.map((a) => a.name)).toEqual(['nightly report']);
    const keys = await f.adminClient().admin.organization.projects.apiKeys.list(PROJECT);
    expect(keys.data.find((k) => k.id === r.json.key.id)?.owner.type).toBe('service_account');
    const wrong = await f.control('keys', { body: { kind: 'service_account', projectId: PROJECT, serviceAccountId: 'svc_acct_nope' } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.message).toContain('No service account with id "svc_acct_nope"');
  });

  it('spend alerts keep their recipients, as the Admin API shows them', async () => {
    f = await startFixture();
    const r = await f.control(`projects/${PROJECT}`, { body: { spendLimitUsd: 20, spendAlerts: [{ thresholdUsd: 10, recipients: ['team@example.com'] }] } });
    expect(r.json.project.spendAlerts).toEqual([{ id: expect.any(String), thresholdUsd: 10, recipients: ['team@example.com'] }]);
    expect(r.json.project.spendAlertsUsd).toEqual([10]);
    const alerts = await f.adminClient().admin.organization.projects.spendAlerts.list(PROJECT);
    expect(alerts.data[0]).toMatchObject({ threshold_amount: 1000, notification_channel: { type: 'email', recipients: ['team@example.com'] } });
    for (const body of [{ spendAlerts: [{ thresholdUsd: 0 }] }, { spendAlerts: [{ thresholdUsd: 5, recipients: ['not an email'] }] }, { spendAlerts: [], spendAlertsUsd: [] }]) {
      const bad = await f.control(`projects/${PROJECT}`, { body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('key-lookup finds a key by its value, without showing the value', async () => {
    f = await startFixture();
    const r = await f.control('key-lookup', { body: { value: `${f.key}\n` } });
    expect(r.status).toBe(200);
    expect(r.json.key).toMatchObject({ kind: 'project', projectId: PROJECT, status: 'active' });
    expect(JSON.stringify(r.json)).not.toContain(f.key);
    expect((await f.control('key-lookup', { body: { value: 'sk-proj-unknown' } })).status).toBe(404);
  });
});
