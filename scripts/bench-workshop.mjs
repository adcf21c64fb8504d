#!/usr/bin/env node
// Benchmark of the workshop service: LEARNERS learners in one room, each sending a check result
// every 5 s (random phase) for DURATION seconds on loopback, while each also holds its learner
// stream open and a facilitator follows the room's live stream. Per database (SQLite, PostgreSQL):
// p50/p95/p99 time from a learner's POST to the event arriving on the facilitator's stream, events
// lost (accepted by the service but never seen live, or missing from the database), and the
// service's memory (RSS of its process, sampled every second). A bare node:http relay (no
// validation, no database) run with the same load in the same way is the baseline.
// Run: npm run bench:workshop [-- --duration 300 --learners 300 --db sqlite,postgres,baseline]
// The service runs as `leakproof workshop` in its own process; the load and the facilitator run here.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSse } from '../src/lib/workshop/sse.ts';
import { freshPostgres, freshSqlite } from '../tests/unit/workshop/databases.ts';

const root = join(import.meta.dirname, '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const DURATION_S = Number(arg('duration', 300));
const LEARNERS = Number(arg('learners', 300));
const INTERVAL_MS = 5000;
const TARGETS = arg('db', 'baseline,sqlite,postgres').split(',');

// The baseline: the same routes, answered by a bare relay (a counter instead of a database).
const BASELINE = `
import { createServer } from 'node:http';
const streams = new Set(); let id = 0; let learner = 0;
const server = createServer((req, res) => {
  if (req.url.startsWith('/api/facilitator/stream') || req.url.startsWith('/api/learner/stream')) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (req.url.startsWith('/api/facilitator')) { streams.add(res); res.write('event: snapshot\\ndata: {}\\n\\n'); req.on('close', () => streams.delete(res)); }
    return;
  }
  let body = ''; req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (req.url === '/api/join') { res.writeHead(201, { 'content-type': 'application/json' }); return res.end(JSON.stringify({ token: 'x'.repeat(32), learner: { id: ++learner } })); }
    const e = { id: ++id, learnerId: 0, at: Date.now(), event: JSON.parse(body) };
    for (const s of streams) s.write('event: event\\nid: ' + e.id + '\\ndata: ' + JSON.stringify(e) + '\\n\\n');
    res.writeHead(202, { 'content-type': 'application/json' }); res.end(JSON.stringify({ id: e.id }));
  });
});
server.keepAliveTimeout = 65000; // as the service: longer than the 5 s between a learner's requests
server.listen(0, '127.0.0.1', function () { console.log('Press Ctrl+C http://127.0.0.1:' + this.address().port + '/facilitator#secret=' + 'b'.repeat(32) + ' room code ABCDEF'); });
`;

async function startTarget(kind) {
  const db = kind === 'sqlite' ? await freshSqlite() : kind === 'postgres' ? await freshPostgres() : null;
  const args =
    kind === 'baseline'
      ? ['--input-type=module', '-e', BASELINE]
      : [join(root, 'bin/leakproof.mjs'), 'workshop', '--port', '0', '--db', db.spec, '--max-learners', String(LEARNERS + 10)];
  const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  while (!/Press Ctrl\+C/.test(out)) {
    if (proc.exitCode !== null) throw new Error(`service exited:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const facilitator = /(http:\/\/\S+?)\/facilitator#secret=(\S+)/.exec(out);
  return {
    proc,
    url: facilitator[1],
    secret: facilitator[2],
    code: /room code +([A-Z0-9]{6})/.exec(out)[1],
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
      await db?.drop();
    },
  };
}

const rssMb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
};
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

async function run(kind) {
  const t = await startTarget(kind);
  const received = new Map(); // event id -> time it arrived on the facilitator stream
  const ac = new AbortController();
  const fac = await fetch(`${t.url}/api/facilitator/stream`, { headers: { authorization: `Bearer ${t.secret}` }, signal: ac.signal });
  const facilitatorDone = (async () => {
    try {
      for await (const m of readSse(fac.body, ac.signal)) if (m.event === 'event') received.set(Number(m.id), performance.now());
    } catch {}
  })();

  const learners = [];
  for (let i = 0; i < LEARNERS; i++) {
    const r = await fetch(`${t.url}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: t.code, name: `Learner ${i + 1}` }) });
    if (r.status !== 201) throw new Error(`join ${i}: ${r.status} ${await r.text()}`);
    const { token } = await r.json();
    // Each learner's page holds its stream open (messages and releases), as in a real room.
    fetch(`${t.url}/api/learner/stream`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal }).then((s) => s.body?.pipeTo(new WritableStream()).catch(() => {}), () => {});
    learners.push(token);
  }
  const rssStart = rssMb(t.proc.pid);
  let rssPeak = rssStart;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(t.proc.pid))), 1000);

  const sent = []; // { id, at, rtt }
  let refused = 0;
  let failed = 0;
  const end = performance.now() + DURATION_S * 1000;
  const chapters = ['01-habits', '02-env-files', '03-gitignore', '04-proxy'];
  await Promise.all(
    learners.map(async (token, i) => {
      await new Promise((r) => setTimeout(r, Math.random() * INTERVAL_MS));
      for (let n = 0; performance.now() < end; n++) {
        const next = performance.now() + INTERVAL_MS;
        const passed = n % 4 === 3;
        const body = JSON.stringify({
          kind: 'check',
          chapter: chapters[Math.floor(n / 4) % chapters.length],
          passed,
          engine: i % 3 === 0 ? 'in-browser' : 'local',
          durationMs: 1500 + (n % 7) * 300,
          checks: [
            { id: 'key-not-committed', status: passed || n % 2 ? 'pass' : 'fail' },
            { id: 'no-key-in-bundle', status: passed ? 'pass' : 'fail' },
            { id: 'app-runs', status: 'pass' },
            { id: 'server-answers', status: 'skipped' },
          ],
        });
        const at = performance.now();
        try {
          const r = await fetch(`${t.url}/api/learner/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
          const reply = await r.json();
          if (r.status === 202) sent.push({ id: reply.id, at, rtt: performance.now() - at });
          else refused++;
        } catch {
          failed++; // the request never got an answer: counted, and it fails the run
        }
        await new Promise((res) => setTimeout(res, Math.max(0, next - performance.now())));
      }
    }),
  );
  // Give the last events a moment to arrive, then count.
  const settle = performance.now() + 5000;
  while (performance.now() < settle && sent.some((s) => !received.has(s.id))) await new Promise((r) => setTimeout(r, 50));
  clearInterval(sampler);
  const rssEnd = rssMb(t.proc.pid);
  ac.abort();
  await facilitatorDone;

  // Events in the database: a fresh facilitator stream's snapshot holds every stored event.
  let stored = NaN;
  if (kind !== 'baseline') {
    const ac2 = new AbortController();
    const s = await fetch(`${t.url}/api/facilitator/stream`, { headers: { authorization: `Bearer ${t.secret}` }, signal: ac2.signal });
    for await (const m of readSse(s.body, ac2.signal)) {
      stored = JSON.parse(m.data).events.length;
      ac2.abort();
      break;
    }
  }
  await t.stop();
  const latencies = sent.filter((s) => received.has(s.id)).map((s) => received.get(s.id) - s.at).sort((a, b) => a - b);
  const rtts = sent.map((s) => s.rtt).sort((a, b) => a - b);
  return {
    kind,
    events: sent.length,
    refused,
    failed,
    lostLive: sent.filter((s) => !received.has(s.id)).length,
    stored,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    max: latencies.at(-1),
    postP95: pct(rtts, 95),
    rssStart,
    rssPeak,
    rssEnd,
  };
}

console.log(`bench:workshop: ${LEARNERS} learners in one room, a check result every ${INTERVAL_MS / 1000} s each for ${DURATION_S} s, loopback`);
const rows = [];
for (const kind of TARGETS) {
  const r = await run(kind);
  rows.push(r);
  const lostDb = kind === 'baseline' ? '-' : String(r.events - r.stored);
  console.log(
    `  ${kind.padEnd(9)} events ${String(r.events).padStart(6)}  refused ${r.refused}  failed ${r.failed}  lost live ${r.lostLive}  lost in db ${lostDb}  ` +
      `POST→facilitator p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(1)} ms  ` +
      `(POST reply p95 ${r.postP95.toFixed(1)} ms)  service RSS ${r.rssStart.toFixed(0)} → peak ${r.rssPeak.toFixed(0)} MB, end ${r.rssEnd.toFixed(0)} MB`,
  );
}
const base = rows.find((r) => r.kind === 'baseline');
let ok = true;
for (const r of rows.filter((x) => x.kind !== 'baseline')) {
  const lost = r.lostLive + (r.events - r.stored);
  const pass = r.p95 <= 250 && lost === 0 && r.refused === 0 && r.failed === 0;
  ok &&= pass;
  console.log(
    `  ${r.kind}: p95 ${r.p95.toFixed(1)} ms (target <= 250)${base ? `, ${(r.p95 / base.p95).toFixed(1)}x the bare relay's p95` : ''}; lost ${lost} (target 0) → ${pass ? 'meets the target' : 'MISSES the target'}`,
  );
}
process.exitCode = ok ? 0 : 1;
