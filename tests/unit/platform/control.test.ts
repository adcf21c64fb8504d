// Course controls under /__platform/: token enforcement, snapshot, keys, clock, simulations, stream.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startFixture, caught, PROJECT, type Fixture } from './helpers.ts';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture();
});
afterEach(async () => f.platform.close());

describe('control token', () => {
  it('refuses controls without the token, with a wrong token, or with an API key', async () => {
    for (const token of [null, 'wrong-token', f.key, f.admin, f.platform.controlToken.slice(0, -1)]) {
      const r = await f.control('state', { token });
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('invalid_control_token');
    }
    const post = await f.control('keys/x/revoke', { token: null, body: {} });
    expect(post.status).toBe(401);
    expect((await f.control('simulate/burst', { token: 'nope', body: {} })).status).toBe(401);
    expect(f.platform.state.ledger).toHaveLength(0);
  });

  it('accepts the token as a bearer header or x-leakproof-control', async () => {
    expect((await f.control('state')).status).toBe(200);
    const r = await fetch(`${f.platform.url}/__platform/state`, { headers: { 'x-leakproof-control': f.platform.controlToken } });
    expect(r.status).toBe(200);
  });

  it('uses the given control token, or a fresh random one per platform', async () => {
    const other = await startFixture({ options: { controlToken: 'my-token' } });
    expect(other.platform.controlToken).toBe('my-token');
    expect((await other.control('state', { token: 'my-token' })).status).toBe(200);
    await other.platform.close();
    expect(f.platform.controlToken).toMatch(/^lpc_[A-Za-z0-9_-]{43}$/);
  });
});

describe('snapshot and keys', () => {
  it('shows projects and keys, never a key value', async () => {
    const { json } = await f.control('state');
    expect(json.projects[0]).toMatchObject({ id: PROJECT, name: 'Course', allowedModels: null, spendLimitUsd: null, spentUsd: 0 });
    expect(json.keys.map((k: any) => k.kind).sort()).toEqual(['admin', 'project']);
    expect(JSON.stringify(json)).not.toContain(f.key);
    expect(JSON.stringify(json)).not.toContain(f.admin);
  });

  it('creates a restricted key (value shown once), rotates and revokes', async () => {
    const created = await f.control('keys', { body: { projectId: PROJECT, name: 'backend', scopes: ['model.request'] } });
    expect(created.status).toBe(200);
    const value = created.json.value as string;
    expect(value).toMatch(/^sk-proj-/);
    await f.client(value).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    expect(await caught(() => f.client(value).models.list())).toBeInstanceOf(OpenAI.AuthenticationError);

    const rotated = await f.control(`keys/${created.json.key.id}/rotate`, { body: {} });
    expect(rotated.json.key.rotatedFrom).toBe(created.json.key.id);
    expect(rotated.json.key.scopes).toEqual(['model.request']);
    // Safe order: the old key keeps working until it is revoked.
    await f.client(value).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    await f.client(rotated.json.value).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    const revoked = await f.control(`keys/${created.json.key.id}/revoke`, { body: {} });
    expect(revoked.json.key.status).toBe('revoked');
    expect((await caught(() => f.client(value).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }))).code).toBe('invalid_api_key');
    const types = f.platform.state.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['key.created', 'key.rotated', 'key.revoked']));
  });

  it('refuses bad control input with a clear message', async () => {
    expect((await f.control('keys', { body: { projectId: 'proj_nope' } })).json.error.message).toBe('No project with id "proj_nope".');
    expect((await f.control('keys', { body: { scopes: 'model.request' } })).json.error.param).toBe('scopes');
    // A refused update changes nothing, even the fields that were valid.
    const refused = await f.control('projects/proj_course', { body: { allowedModels: ['gpt-4o-mini'], spendLimitUsd: -1 } });
    expect(refused.status).toBe(400);
    expect(refused.json.error.param).toBe('spendLimitUsd');
    expect(f.platform.state.project(PROJECT)!.modelPermissions).toBeNull();
    expect((await f.control('keys/key_missing/revoke', { body: {} })).status).toBe(404);
    expect((await f.control('nothing')).status).toBe(404);
  });

  it('updates a project: allowed models, spend limit, alerts', async () => {
    const r = await f.control(`projects/${PROJECT}`, { body: { allowedModels: ['gpt-4o-mini'], spendLimitUsd: 5, spendAlertsUsd: [1, 4] } });
    expect(r.json.project).toMatchObject({ allowedModels: ['gpt-4o-mini'], spendLimitUsd: 5, spendAlertsUsd: [1, 4] });
    expect((await caught(() => f.client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }))).status).toBe(403);
  });
});

describe('clock', () => {
  it('moves the platform clock so keys expire', async () => {
    const created = await f.control('keys', { body: { projectId: PROJECT, expiresInSeconds: 3600 } });
    await f.client(created.json.value).models.list();
    const t0 = (await f.control('clock')).json.now;
    const moved = await f.control('clock', { body: { advanceSeconds: 3600 } });
    expect(moved.json.now - t0).toBeGreaterThanOrEqual(3600_000);
    expect((await caught(() => f.client(created.json.value).models.list())).code).toBe('invalid_api_key');
    expect((await f.control('state')).json.keys.find((k: any) => k.id === created.json.key.id).expired).toBe(true);
    expect((await f.control('clock', { body: {} })).status).toBe(400);
  });
});

describe('simulations', () => {
  it('an attacker burst from a foreign address is stopped at the hard spend limit', async () => {
    await f.control(`projects/${PROJECT}`, { body: { spendLimitUsd: 0.5 } });
    const r = await f.control('simulate/burst', { body: { count: 40 } });
    expect(r.json.attempted).toBe(40);
    expect(r.json.accepted).toBeGreaterThan(0);
    expect(r.json.accepted).toBeLessThan(40);
    expect(r.json.rejected.project_spend_limit_exceeded).toBe(40 - r.json.accepted);
    const abusive = f.platform.state.ledger.filter((e) => e.source === '203.0.113.77');
    expect(abusive).toHaveLength(r.json.accepted);
    expect(abusive.every((e) => e.simulated)).toBe(true);
    expect(f.platform.state.spentUsd(PROJECT)).toBeGreaterThanOrEqual(0.5);
    expect(f.platform.state.events.at(-1)!.type).toBe('simulation.burst');
  });

  it('a burst with a revoked key or a blocked model gets nothing through', async () => {
    await f.control(`projects/${PROJECT}`, { body: { allowedModels: ['gpt-4o-mini'] } });
    const blocked = await f.control('simulate/burst', { body: { count: 5, model: 'gpt-4.1' } });
    expect(blocked.json).toMatchObject({ accepted: 0, rejected: { model_not_found: 5 } });
    const id = f.platform.state.findKey(f.key)!.id;
    await f.control(`keys/${id}/revoke`, { body: {} });
    const revoked = await f.control('simulate/burst', { body: { count: 3, model: 'gpt-4o-mini', key: id } });
    expect(revoked.json).toMatchObject({ accepted: 0, rejected: { invalid_api_key: 3 } });
  });

  it('an IP allowlist stops the foreign attacker while the learner\'s own calls still work', async () => {
    const set = await f.control(`projects/${PROJECT}`, { body: { ipAllowlist: ['127.0.0.1'] } });
    expect(set.json.project.ipAllowlist).toEqual(['127.0.0.1']);
    await f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'from loopback' }] });
    const r = await f.control('simulate/burst', { body: { count: 5 } });
    expect(r.json).toMatchObject({ accepted: 0 });
    expect(f.platform.state.rejections.filter((x) => x.reason === 'ip_not_allowed')).toHaveLength(5);
    await f.control(`projects/${PROJECT}`, { body: { ipAllowlist: ['10.0.0.0/8'] } });
    const err = await caught(() => f.client().models.list());
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.error.message).toBe(`IP not authorized: 127.0.0.1 is not in the IP allowlist of project \`${PROJECT}\`.`);
    expect((await f.control(`projects/${PROJECT}`, { body: { ipAllowlist: ['nope'] } })).json.error.param).toBe('ipAllowlist');
  });

  it('a partner alert names the masked key and the public URL, and can disable the key', async () => {
    const r = await f.control('simulate/partner-alert', { body: { url: 'https://github.com/me/app/blob/main/.env' } });
    expect(r.json.event.type).toBe('partner_alert');
    expect(r.json.event.message).toContain(`sk-proj-`);
    expect(r.json.event.message).toContain('https://github.com/me/app/blob/main/.env');
    expect(r.json.event.message).not.toContain(f.key);
    expect(r.json.key.status).toBe('active');
    const disabled = await f.control('simulate/partner-alert', { body: { key: f.key, revoke: true } });
    expect(disabled.json.key.status).toBe('revoked');
  });
});

describe('event stream', () => {
  it('pushes events, ledger entries and rejections as server-sent events', async () => {
    const res = await fetch(`${f.platform.url}/__platform/events/stream`, { headers: { authorization: `Bearer ${f.platform.controlToken}` } });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const seen: string[] = [];
    const read = (async () => {
      let buf = '';
      while (!['hello', 'ledger', 'rejection', 'event'].every((k) => seen.includes(k))) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += new TextDecoder().decode(value);
        for (const m of buf.matchAll(/^event: (\w+)$/gm)) if (!seen.includes(m[1]!)) seen.push(m[1]!);
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    await f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    await caught(() => f.client('sk-proj-bad').models.list());
    await f.control('simulate/partner-alert', { body: {} });
    await read;
    await reader.cancel();
    expect(seen).toEqual(expect.arrayContaining(['hello', 'ledger', 'rejection', 'event']));
  });

  it('close() ends open event streams', async () => {
    const res = await fetch(`${f.platform.url}/__platform/events/stream`, { headers: { authorization: `Bearer ${f.platform.controlToken}` } });
    const reader = res.body!.getReader();
    await reader.read();
    await f.platform.close();
    const end = await reader.read().catch(() => ({ done: true }));
    expect(end.done).toBe(true);
  });

  it('lists events, ledger and rejections after a sequence number', async () => {
    await f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a' }] });
    await f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'b' }] });
    expect((await f.control('ledger')).json.data).toHaveLength(2);
    expect((await f.control('ledger?after=1')).json.data.map((e: any) => e.seq)).toEqual([2]);
  });
});
