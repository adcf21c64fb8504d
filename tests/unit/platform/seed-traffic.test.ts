// A scenario seed: the platform clock starts on a fixed date and past calls (the app's own, a
// stranger's) are in the ledger at start, priced like live calls and visible through the official
// SDK's usage endpoint.
import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { generateKey, parseSeed, startPlatform, type PlatformHandle } from '../../../src/platform/index.ts';

const key = generateKey('project');
const admin = generateKey('admin');
const scenario = {
  now: '2026-11-14T09:30:00Z',
  projects: [{ id: 'proj_weekend', name: 'Weekend app' }],
  keys: [
    { value: key, id: 'key_weekend', projectId: 'proj_weekend', kind: 'project', ageSeconds: 30 * 86400 },
    { value: admin, kind: 'admin' },
  ],
  traffic: [
    { key, model: 'gpt-4o-mini', requests: 3, source: '127.0.0.1', startAt: '2026-11-13T18:00:00Z', everySeconds: 600 },
    { key: 'key_weekend', model: 'gpt-4.1', requests: 5, source: '203.0.113.77', startAt: '2026-11-14T02:13:00Z', everySeconds: 30, promptTokens: 8000, maxTokens: 2000 },
  ],
};

let p: PlatformHandle | undefined;
afterEach(async () => p?.close());

describe('seed: scenario clock and past traffic', () => {
  it('starts the clock on the seed date and puts the past calls in the ledger in time order', async () => {
    p = await startPlatform({ seed: scenario });
    expect(Math.abs(p.state.now() - Date.parse(scenario.now))).toBeLessThan(60_000);
    const ledger = p.state.ledger;
    expect(ledger).toHaveLength(8);
    expect(ledger.map((e) => e.time)).toEqual([...ledger.map((e) => e.time)].sort((a, b) => a - b));
    const foreign = ledger.filter((e) => e.source === '203.0.113.77');
    expect(foreign.map((e) => e.model)).toEqual(Array(5).fill('gpt-4.1'));
    expect(foreign[0]!.time).toBe(Date.parse('2026-11-14T02:13:00Z'));
    expect(foreign[4]!.time).toBe(Date.parse('2026-11-14T02:15:00Z'));
    expect(foreign.every((e) => e.simulated && e.keyId === 'key_weekend' && e.costUsd > 0)).toBe(true);
    // Nothing in the event feed claims the clock moved: the replay is history, not a change.
    expect(p.state.events.filter((e) => e.type === 'clock.changed')).toEqual([]);
    expect(p.state.findKey('key_weekend')!.lastUsedAt).toBe(foreign[4]!.time);
    expect(p.state.spentUsd('proj_weekend')).toBeCloseTo(ledger.reduce((s, e) => s + e.costUsd, 0), 10);
  });

  it('shows the traffic per key and model through the SDK usage endpoint', async () => {
    p = await startPlatform({ seed: scenario });
    const client = new OpenAI({ adminAPIKey: admin, baseURL: p.baseURL });
    const usage = await client.admin.organization.usage.completions({ start_time: Date.parse('2026-11-13T00:00:00Z') / 1000, bucket_width: '1d', group_by: ['api_key_id', 'model'] });
    const results = usage.data.flatMap((b) => b.results as Array<{ model: string | null; num_model_requests: number; api_key_id: string | null }>);
    const byModel = Object.fromEntries(results.map((r) => [r.model, r.num_model_requests]));
    expect(byModel).toEqual({ 'gpt-4o-mini': 3, 'gpt-4.1': 5 });
    expect(results.every((r) => r.api_key_id === 'key_weekend')).toBe(true);
    // The key still works now: the leak is discovered, not yet stopped.
    const reply = await new OpenAI({ apiKey: key, baseURL: p.baseURL }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.choices[0]!.message.content).toContain('(mock gpt-4o-mini)');
  });

  it('refuses a seed whose traffic names an unknown key or a bad date, saying how to fix it', () => {
    expect(() => parseSeed({ ...scenario, traffic: [{ ...scenario.traffic[0]!, key: 'key_nobody' }] })).toThrow(/traffic\[0\]\.key: no key with this value or id.*Fix: use the value or the id/);
    expect(() => parseSeed({ ...scenario, now: 'saturday' })).toThrow(/now: .*Fix: use an ISO date/);
    expect(() => parseSeed({ ...scenario, traffic: [{ ...scenario.traffic[0]!, when: 'x' }] })).toThrow(/unknown field "when".*startAt/);
  });
});
