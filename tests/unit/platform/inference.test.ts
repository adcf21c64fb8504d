// The official openai SDK, unchanged except baseURL and apiKey, against the mock platform.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startFixture, caught, PROJECT, type Fixture } from './helpers.ts';

let f: Fixture;
afterEach(async () => f?.platform.close());

describe('inference with a valid key', () => {
  beforeEach(async () => {
    f = await startFixture();
  });

  it('answers chat completions deterministically and records the call', async () => {
    const r = await f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello platform' }] });
    expect(r.object).toBe('chat.completion');
    expect(r.choices[0]!.message.content).toBe('(mock gpt-4o-mini) You said: Hello platform');
    expect(r.choices[0]!.finish_reason).toBe('stop');
    expect(r.usage!.total_tokens).toBe(r.usage!.prompt_tokens + r.usage!.completion_tokens);
    const [entry] = f.platform.state.ledger;
    expect(entry).toMatchObject({ projectId: PROJECT, model: 'gpt-4o-mini', endpoint: '/v1/chat/completions', inputTokens: r.usage!.prompt_tokens, outputTokens: r.usage!.completion_tokens, source: '127.0.0.1', stream: false });
    expect(entry!.costUsd).toBeCloseTo((r.usage!.prompt_tokens * 0.15 + r.usage!.completion_tokens * 0.6) / 1e6, 12);
  });

  it('streams chat completions as OpenAI does (chunks, usage chunk, [DONE])', async () => {
    const stream = await f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'stream this please' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    const finishes: Array<string | null> = [];
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]) finishes.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('(mock gpt-4o-mini) You said: stream this please');
    expect(finishes.at(-1)).toBe('stop');
    expect(usage!.completion_tokens).toBeGreaterThan(0);
    expect(f.platform.state.ledger[0]!.stream).toBe(true);

    // The raw wire format: data lines and a final [DONE].
    const raw = await fetch(`${f.platform.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true }),
    });
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await raw.text();
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(body.split('\n\n').filter(Boolean).every((frame) => frame.startsWith('data: '))).toBe(true);
  });

  it('cuts the reply at max_tokens with finish_reason length', async () => {
    const r = await f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a long question that will be cut' }], max_tokens: 2 });
    expect(r.choices[0]!.message.content).toHaveLength(8);
    expect(r.choices[0]!.finish_reason).toBe('length');
  });

  it('answers the Responses API, plain and streaming', async () => {
    const r = await f.client().responses.create({ model: 'gpt-4.1-mini', input: 'Hi responses' });
    expect(r.status).toBe('completed');
    expect(r.output_text).toBe('(mock gpt-4.1-mini) You said: Hi responses');
    expect(r.usage!.total_tokens).toBeGreaterThan(0);

    const stream = await f.client().responses.create({ model: 'gpt-4.1-mini', input: [{ role: 'user', content: 'streamed' }], stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(text).toBe('(mock gpt-4.1-mini) You said: streamed');
    expect(f.platform.state.ledger.map((e) => e.endpoint)).toEqual(['/v1/responses', '/v1/responses']);
  });

  it('lists and retrieves models', async () => {
    const list = await f.client().models.list();
    expect(list.data.map((m) => m.id)).toContain('gpt-4o-mini');
    expect((await f.client().models.retrieve('gpt-4o')).id).toBe('gpt-4o');
    const err = await caught(() => f.client().models.retrieve('gpt-nope'));
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('refuses an unknown model with 404 model_not_found', async () => {
    const err = await caught(() => f.client().chat.completions.create({ model: 'gpt-imaginary', messages: [{ role: 'user', content: 'x' }] }));
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe('model_not_found');
    expect(err.error.message).toBe('The model `gpt-imaginary` does not exist or you do not have access to it.');
  });

  it('answers bad requests with 400 and the parameter', async () => {
    const err = await caught(() => f.client().chat.completions.create({ model: 'gpt-4o-mini' } as never));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.code).toBe('missing_required_parameter');
    expect(err.param).toBe('messages');
    const raw = await fetch(`${f.platform.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${f.key}` }, body: '{not json' });
    expect(raw.status).toBe(400);
    expect((await raw.json()).error.message).toMatch(/^We could not parse the JSON body of your request/);
  });

  it('answers unknown paths like OpenAI', async () => {
    const raw = await fetch(`${f.platform.baseURL}/nothing/here`, { headers: { authorization: `Bearer ${f.key}` } });
    expect(raw.status).toBe(404);
    expect((await raw.json()).error.message).toBe('Invalid URL (GET /v1/nothing/here)');
  });
});

describe('keys that must not work', () => {
  it('a revoked key gets 401 invalid_api_key with the masked key', async () => {
    f = await startFixture();
    const k = f.platform.state.findKey(f.key)!;
    f.platform.state.revokeKey(k.id);
    const err = await caught(() => f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }));
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid_api_key');
    expect(err.type).toBe('invalid_request_error');
    const masked = `sk-proj-${'*'.repeat(152)}${f.key.slice(-4)}`;
    expect(err.error.message).toBe(`Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`);
    expect(err.error.message).not.toContain(f.key.slice(8, 20));
    expect(f.platform.state.ledger).toHaveLength(0);
    expect(f.platform.state.rejections.map((r) => r.reason)).toEqual(['revoked']);
  });

  it('an unknown key and a missing key get 401', async () => {
    f = await startFixture();
    const err = await caught(() => f.client('sk-proj-not-a-key-we-know-abcd').models.list());
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe('invalid_api_key');
    const raw = await fetch(`${f.platform.baseURL}/models`);
    expect(raw.status).toBe(401);
    expect((await raw.json()).error.message).toMatch(/^You didn't provide an API key/);
  });

  it('an expired key gets 401 once the platform clock passes its expiry', async () => {
    f = await startFixture();
    const now = f.platform.state.now();
    const k = f.platform.state.createKey({ kind: 'project', projectId: PROJECT, expiresAt: now + 60_000 });
    await f.client(k.value).models.list();
    f.platform.state.advanceClock(61_000);
    const err = await caught(() => f.client(k.value).models.list());
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe('invalid_api_key');
    expect(f.platform.state.rejections.at(-1)!.reason).toBe('expired');
  });

  it('a restricted key without model.request gets 401 naming the missing scope', async () => {
    f = await startFixture();
    const k = f.platform.state.createKey({ kind: 'project', projectId: PROJECT, scopes: ['api.model.read'] });
    expect((await f.client(k.value).models.list()).data.length).toBeGreaterThan(0);
    const err = await caught(() => f.client(k.value).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }));
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe('missing_scope');
    expect(err.error.message).toMatch(/^You have insufficient permissions for this operation\. Missing scopes: model\.request\./);
    expect(f.platform.state.rejections.at(-1)!.reason).toBe('missing_scope');
    // A read-only key (api.all.read) may list models but not call them.
    const ro = f.platform.state.createKey({ kind: 'project', projectId: PROJECT, scopes: ['api.all.read'] });
    await f.client(ro.value).models.list();
    await caught(() => f.client(ro.value).responses.create({ model: 'gpt-4o-mini', input: 'x' }));
  });
});

describe('project limits', () => {
  it('a model the project does not allow gets 403 model_not_found (PermissionDeniedError)', async () => {
    f = await startFixture();
    f.platform.state.setAllowedModels(PROJECT, ['gpt-4o-mini']);
    await f.client().chat.completions.create({ model: 'gpt-4o-mini-2024-07-18', messages: [{ role: 'user', content: 'ok' }] });
    const err = await caught(() => f.client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }));
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(err.status).toBe(403);
    expect(err.code).toBe('model_not_found');
    expect(err.error.message).toBe(`Project \`${PROJECT}\` does not have access to model \`gpt-4o\``);
  });

  it('a spend limit of 0 refuses the first call with 429 project_spend_limit_exceeded, and the SDK does not retry', async () => {
    f = await startFixture({
      seed: { projects: [{ id: PROJECT, name: 'Course', spendLimitUsd: 0 }], keys: [{ value: 'sk-proj-zero-limit-key-0000', kind: 'project' }] },
    });
    const err = await caught(() => f.client('sk-proj-zero-limit-key-0000').chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.code).toBe('project_spend_limit_exceeded');
    expect(err.type).toBe('insufficient_quota');
    expect(f.platform.state.rejections).toHaveLength(1); // maxRetries is 2 by default: no retry happened
    expect(f.platform.state.ledger).toHaveLength(0);
  });

  it('spend adds up until the limit, then calls are refused', async () => {
    f = await startFixture();
    f.platform.state.setSpendLimit(PROJECT, 0.0001);
    const client = f.client();
    let accepted = 0;
    let refused: any;
    for (let i = 0; i < 50 && !refused; i++) {
      try {
        await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(200) }] });
        accepted++;
      } catch (e) {
        refused = e;
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(refused.code).toBe('project_spend_limit_exceeded');
    expect(f.platform.state.spentUsd(PROJECT)).toBeGreaterThanOrEqual(0.0001);
    expect(f.platform.state.events.some((e) => e.type === 'spend_limit.reached')).toBe(true);
    // Spend is monthly: next month the limit no longer blocks.
    f.platform.state.advanceClock(32 * 24 * 3600 * 1000);
    await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'new month' }] });
  });

  it('rate limits answer 429 rate_limit_exceeded with x-ratelimit headers, and the SDK retries end', async () => {
    // The clock is frozen half a second before a minute boundary: retries land in the same window.
    const frozen = Date.UTC(2026, 10, 27, 12, 0, 59, 500);
    f = await startFixture({ options: { clock: () => frozen } });
    f.platform.state.project(PROJECT)!.rateLimits['gpt-4o-mini'] = { maxRequestsPer1Minute: 1, maxTokensPer1Minute: 1_000_000 };
    const raw = await f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'first' }] }).withResponse();
    expect(raw.response.headers.get('x-ratelimit-limit-requests')).toBe('1');
    expect(raw.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(raw.response.headers.get('x-ratelimit-reset-requests')).toBe('500ms');
    const err = await caught(() => f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'second' }] }));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.code).toBe('rate_limit_exceeded');
    expect(err.type).toBe('requests');
    expect(err.error.message).toMatch(/^Rate limit reached for gpt-4o-mini in organization org-leakproof on requests per min \(RPM\): Limit 1, Used 1, Requested 1\./);
    expect(err.headers.get('retry-after')).toBe('1');
    // One try plus the SDK's default two retries, then it gives up.
    expect(f.platform.state.rejections.filter((r) => r.reason === 'rate_limit')).toHaveLength(3);
    expect(f.platform.state.ledger).toHaveLength(1);
  });
});

describe('concurrency', () => {
  it('records every accepted call exactly once', async () => {
    f = await startFixture();
    const client = f.client();
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        i % 3 === 0
          ? client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `n${i}` }], stream: true }).then(async (s) => {
              for await (const _ of s);
              return 1;
            })
          : client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `n${i}` }] }).then(() => 1),
      ),
    );
    expect(results).toHaveLength(120);
    const ledger = f.platform.state.ledger;
    expect(ledger).toHaveLength(120);
    expect(new Set(ledger.map((e) => e.seq)).size).toBe(120);
    expect(f.platform.state.spentUsd(PROJECT)).toBeCloseTo(ledger.reduce((s, e) => s + e.costUsd, 0), 12);
  });
});

describe('response metadata', () => {
  it('carries a request id the SDK exposes', async () => {
    f = await startFixture();
    const r = await f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'id?' }] });
    expect(r._request_id).toMatch(/^req_[0-9a-f]{32}$/);
  });
});

describe('SDK stream helpers', () => {
  it('chat.completions.stream() and responses.stream() assemble the final result', async () => {
    f = await startFixture();
    const chat = f.client().chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'helper' }] });
    const final = await chat.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('(mock gpt-4o-mini) You said: helper');
    const resp = f.client().responses.stream({ model: 'gpt-4o-mini', input: 'helper too', instructions: 'Be brief.' });
    const done = await resp.finalResponse();
    expect(done.output_text).toBe('(mock gpt-4o-mini) You said: helper too');
    expect(done.instructions).toBe('Be brief.');
  });
});
