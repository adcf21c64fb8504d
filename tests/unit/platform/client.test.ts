// The panel's control client (src/platform/client.ts) against a real platform, and its SSE parser.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformClient, PlatformClientError, parseSse, type StreamMessage } from '../../../src/platform/client.ts';
import { startFixture, PROJECT, type Fixture } from './helpers.ts';

describe('parseSse', () => {
  it('splits complete messages and keeps the unfinished tail', () => {
    const { messages, rest } = parseSse('retry: 2000\nevent: hello\ndata: {"a":1}\n\n: ping\n\nevent: ledger\ndata: {"b"');
    expect(messages).toEqual([{ event: 'hello', data: '{"a":1}' }]);
    expect(rest).toBe('event: ledger\ndata: {"b"');
    expect(parseSse(rest + ':2}\n\n').messages).toEqual([{ event: 'ledger', data: '{"b":2}' }]);
  });

  it('handles CRLF, multi-line data and default event names', () => {
    expect(parseSse('data: a\r\ndata: b\r\n\r\n').messages).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});

describe('PlatformClient', () => {
  let f: Fixture;
  let client: PlatformClient;
  beforeEach(async () => {
    f = await startFixture();
    client = new PlatformClient({ url: f.platform.url + '/', controlToken: f.platform.controlToken });
  });
  afterEach(async () => f.platform.close());

  it('drives keys and projects', async () => {
    const created = await client.createKey({ projectId: PROJECT, name: 'panel key', scopes: ['model.request'], expiresInSeconds: 600 });
    expect(created.key.scopes).toEqual(['model.request']);
    const rotated = await client.rotateKey(created.key.id, true);
    expect(rotated.old.status).toBe('revoked');
    await client.revokeKey(rotated.key.id);
    const { project } = await client.updateProject(PROJECT, { allowedModels: ['gpt-4o-mini'], spendLimitUsd: 1, spendAlertsUsd: [0.5] });
    expect(project).toMatchObject({ allowedModels: ['gpt-4o-mini'], spendLimitUsd: 1, spendAlertsUsd: [0.5] });
    const state = await client.state();
    expect(state.keys.filter((k) => k.status === 'revoked')).toHaveLength(2);
    expect((await client.events()).map((e) => e.type)).toEqual(expect.arrayContaining(['key.created', 'key.rotated', 'key.revoked', 'project.updated', 'spend_limit.updated']));
  });

  it('reports refusals as PlatformClientError with the platform\'s message', async () => {
    const err = await client.revokeKey('key_nope').catch((e) => e);
    expect(err).toBeInstanceOf(PlatformClientError);
    expect(err.status).toBe(404);
    expect(err.message).toBe('No key with id "key_nope".');
    const wrong = new PlatformClient({ url: f.platform.url, controlToken: 'wrong' });
    expect((await wrong.state().catch((e) => e)).status).toBe(401);
  });

  it('follows the live stream until aborted', async () => {
    const got: StreamMessage[] = [];
    const controller = new AbortController();
    let resolveLedger!: () => void;
    const sawLedger = new Promise<void>((r) => (resolveLedger = r));
    const done = client.stream((m) => {
      got.push(m);
      if (m.kind === 'ledger') resolveLedger();
    }, controller.signal);
    while (!got.some((m) => m.kind === 'hello')) await new Promise((r) => setTimeout(r, 10));
    const burst = await client.burst({ count: 3, model: 'gpt-4o-mini', promptTokens: 10 });
    expect(burst.accepted).toBe(3);
    await sawLedger;
    controller.abort();
    await done;
    expect(got.filter((m) => m.kind === 'ledger')).toHaveLength(3);
    expect(got.some((m) => m.kind === 'event' && m.data.type === 'simulation.burst')).toBe(true);
  });
});
