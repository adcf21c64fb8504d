#!/usr/bin/env node
// Benchmark of the mock platform: 1,000 chat completion requests from 50 concurrent clients on
// loopback, compared with a bare node:http server giving canned replies in the same process (the baseline), once
// with fetch and once with the official openai SDK. One request in ten uses an unknown key, and
// one in five streams: the ledger must then hold exactly the accepted requests, no more, no less.
// Run: npm run bench:platform   (node scripts/node22.mjs node scripts/bench-platform.mjs)
import { createServer } from 'node:http';
import OpenAI from 'openai';
import { startPlatform, generateKey } from '../src/platform/index.ts';

const TOTAL = Number(process.env.BENCH_REQUESTS ?? 1000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);

/** Run `total` jobs over `clients` concurrent loops; returns requests per second and results. */
async function drive(total, clients, job) {
  let next = 0;
  const results = new Array(total);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = next++; i < total; i = next++) results[i] = await job(i, c);
    }),
  );
  const ms = performance.now() - t0;
  return { rps: (total / ms) * 1000, ms, results };
}

// The baseline answers with canned replies of the same shapes (JSON, SSE, 401), so the client
// does the same work in both runs and the ratio measures the platform's own server-side cost.
const CANNED = JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
const CHUNK = (delta, finish) => `data: ${JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const CANNED_SSE = CHUNK({ role: 'assistant', content: '' }, null) + CHUNK({ content: 'hello ' }, null) + CHUNK({ content: 'there' }, null) + CHUNK({}, 'stop') + 'data: [DONE]\n\n';
const DENIED = JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
function hello() {
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      if ((req.headers.authorization ?? '').includes('not-a-real-key')) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(DENIED);
      } else if (text.includes('"stream":true')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(CANNED_SSE);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(CANNED);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const key = generateKey('project');
const platform = await startPlatform({ seed: { projects: [{ id: 'proj_bench', name: 'Bench' }], keys: [{ value: key, projectId: 'proj_bench', kind: 'project' }] } });
const baseline = await hello();
const baselineURL = `http://127.0.0.1:${baseline.address().port}/v1/chat/completions`;
const body = (i) => JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `request number ${i}` }], stream: i % 5 === 0 });
const headers = (i) => ({ 'content-type': 'application/json', authorization: `Bearer ${i % 10 === 9 ? 'sk-proj-not-a-real-key' : key}` });

async function viaFetch(url, i) {
  const r = await fetch(url, { method: 'POST', headers: headers(i), body: body(i) });
  await r.arrayBuffer();
  return r.status;
}

// Warm up both servers (JIT, sockets); the ledger is checked by difference.
await drive(100, CLIENTS, (i) => viaFetch(baselineURL, i));
await drive(100, CLIENTS, (i) => viaFetch(`${platform.baseURL}/chat/completions`, i));

const rows = [];
function check(label, before, run) {
  const accepted = run.results.filter((s) => s === 200).length;
  const refused = run.results.filter((s) => s === 401).length;
  const added = platform.state.ledger.length - before;
  const ok = added === accepted && accepted + refused === TOTAL;
  rows.push({ label, rps: run.rps, accepted, refused, added, ok });
  return ok;
}

const base1 = await drive(TOTAL, CLIENTS, (i) => viaFetch(baselineURL, i));
let before = platform.state.ledger.length;
const plat1 = await drive(TOTAL, CLIENTS, (i) => viaFetch(`${platform.baseURL}/chat/completions`, i));
const ok1 = check('platform (fetch)', before, plat1);

// The official SDK: 50 clients, each its own OpenAI instance; no retries so refusals count once.
const sdkClients = Array.from({ length: CLIENTS }, (_, c) => [
  new OpenAI({ apiKey: key, baseURL: platform.baseURL, maxRetries: 0 }),
  new OpenAI({ apiKey: 'sk-proj-not-a-real-key', baseURL: platform.baseURL, maxRetries: 0 }),
]);
const baseSdk = Array.from({ length: CLIENTS }, () => [
  new OpenAI({ apiKey: key, baseURL: baselineURL.replace('/chat/completions', ''), maxRetries: 0 }),
  new OpenAI({ apiKey: 'sk-proj-not-a-real-key', baseURL: baselineURL.replace('/chat/completions', ''), maxRetries: 0 }),
]);
const sdkJob = (clients) => async (i, c) => {
  const client = clients[c][i % 10 === 9 ? 1 : 0];
  try {
    if (i % 5 === 0) {
      const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `request number ${i}` }], stream: true });
      for await (const _ of stream);
    } else {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `request number ${i}` }] });
    }
    return 200;
  } catch (e) {
    return e.status ?? 0;
  }
};
const base2 = await drive(TOTAL, CLIENTS, sdkJob(baseSdk));
before = platform.state.ledger.length;
const plat2 = await drive(TOTAL, CLIENTS, sdkJob(sdkClients));
const ok2 = check('platform (openai SDK)', before, plat2);

await platform.close();
await new Promise((r) => baseline.close(r));

console.log(`bench:platform — ${TOTAL} requests, ${CLIENTS} concurrent clients, loopback, Node ${process.version}`);
console.log(`  ${'baseline node:http canned (fetch)'.padEnd(36)} ${base1.rps.toFixed(0).padStart(6)} req/s`);
console.log(`  ${'baseline node:http canned (SDK)'.padEnd(36)} ${base2.rps.toFixed(0).padStart(6)} req/s`);
for (const [row, base] of [[rows[0], base1], [rows[1], base2]]) {
  console.log(`  ${row.label.padEnd(36)} ${row.rps.toFixed(0).padStart(6)} req/s  = ${(row.rps / base.rps).toFixed(2)}× baseline   accepted ${row.accepted}, refused ${row.refused}, ledger +${row.added} ${row.ok ? '✓ exact' : '✗ MISMATCH'}`);
}
if (!ok1 || !ok2) {
  console.error('bench:platform: the ledger does not hold exactly the accepted requests.');
  process.exit(1);
}
