// `http-probe`: start the project's server, send the good request and judge its answer; then send
// the bad requests and the routes the code names (probe-requests.ts). The key must be in no body
// and no header of any answer, and not in anything the server printed. With
// `expect.platformCall`, the platform's ledger must show that the good request reached the model.
import type { CheckSpec, ProbeRequest } from '../define.ts';
import type { ServerHandle } from '../engine.ts';
import { leakCore } from '../leak.ts';
import type { Evidence } from '../results.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';
import { quoteCommand, tail } from './types.ts';
import { formWords, toEvidence } from './evidence.ts';
import { keyInOutput } from './output-leak.ts';
import { keyInWrittenFiles } from './written-files.ts';
import { markLedger, verifyPlatformCall } from './platform-ledger.ts';
import { declaredRoutes, sweepRequests } from './probe-requests.ts';

type Spec = Extract<CheckSpec, { kind: 'http-probe' }>;

const enc = new TextEncoder();
/** A bad request gets this long to answer (a server may hang on it; that is not a leak). */
const SWEEP_REQUEST_MS = 5_000;
/** A server that a bad request killed is started again this many times, so later routes are still tried. */
const MAX_RESTARTS = 3;

interface Answer {
  status: number;
  text: string;
  body: Uint8Array;
  headers: Headers;
  /** The answer was longer than MAX_PROBE_BODY_BYTES: only that much was read. */
  truncated: boolean;
}

/** The most of an answer a probe reads (bounded memory: a server may answer with gigabytes). */
export const MAX_PROBE_BODY_BYTES = 16 * 1024 * 1024;
const MAX_MB = Math.round(MAX_PROBE_BODY_BYTES / 1024 / 1024);

/** The body up to `max` bytes; `truncated` when there was more (the rest is never read). */
export async function readCapped(res: Response, max = MAX_PROBE_BODY_BYTES): Promise<{ body: Uint8Array; truncated: boolean }> {
  if (!res.body) return { body: new Uint8Array(await res.arrayBuffer()), truncated: false };
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (size + value.length > max) {
      parts.push(value.subarray(0, max - size));
      size = max;
      truncated = true;
      await reader.cancel().catch(() => {});
      break;
    }
    parts.push(value);
    size += value.length;
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return { body, truncated };
}

/** Starts the server, keeps every instance's output, restarts it when a request killed it. */
class ProbedServer {
  private server: ServerHandle | null = null;
  private outputs: string[] = [];
  restarts = 0;
  private readonly spec: Spec;
  private readonly ctx: CheckRunContext;
  constructor(spec: Spec, ctx: CheckRunContext) {
    this.spec = spec;
    this.ctx = ctx;
  }

  get line(): string {
    return quoteCommand(this.spec.server.command, this.spec.server.args);
  }

  async start(): Promise<void> {
    this.server = await this.ctx.engine.startServer(this.spec.server.command, this.spec.server.args, {
      port: this.spec.server.port ?? 0,
      timeoutMs: this.ctx.timeoutMs,
      readyTimeoutMs: Math.min(this.ctx.timeoutMs, 30_000),
      signal: this.ctx.signal,
      onOutput: this.ctx.onOutput,
    });
  }

  /** Everything every instance printed so far. */
  output(): string {
    return [...this.outputs, this.server?.output() ?? ''].join('\n');
  }

  async send(r: ProbeRequest, timeoutMs?: number): Promise<Answer> {
    const signal = timeoutMs ? AbortSignal.any([this.ctx.signal, AbortSignal.timeout(timeoutMs)]) : this.ctx.signal;
    const res = await this.ctx.engine.fetch(new URL(r.path, this.server!.url).href, { method: r.method ?? 'GET', headers: r.headers, body: r.body || undefined, signal });
    const { body, truncated } = await readCapped(res);
    return { status: res.status, body, text: new TextDecoder().decode(body), headers: res.headers, truncated };
  }

  /** After a request got no answer: start again if the server is gone (at most MAX_RESTARTS times). */
  async restart(): Promise<boolean> {
    if (this.restarts >= MAX_RESTARTS || this.ctx.signal.aborted) return false;
    this.restarts++;
    await this.stop();
    try {
      await this.start();
      return true;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    const s = this.server;
    this.server = null;
    this.outputs.push(s.output());
    await s.stop();
  }
}

async function keyInAnswer(ctx: CheckRunContext, a: Answer, what: string): Promise<CheckOutcome | null> {
  if (a.truncated) {
    // Past the cut nothing was read, so nothing there can be shown to be free of the key.
    return {
      status: 'fail',
      message: `The answer to \`${what}\` is larger than ${MAX_MB} MB. The check reads only the first ${MAX_MB} MB of an answer, so it cannot show that the rest does not contain the key. Send a smaller answer.`,
      evidence: [{ file: what, excerpt: new TextDecoder().decode(a.body.subarray(0, 200)) }],
    };
  }
  const { findKeyInBytes } = await leakCore();
  const headerText = [...a.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  const found = [
    ...(await findKeyInBytes(ctx.key, a.body, { file: `response body of ${what}`, target: 'source', decompress: ctx.decompress })),
    ...(await findKeyInBytes(ctx.key, enc.encode(headerText), { file: `response headers of ${what}`, target: 'source', decompress: ctx.decompress })),
  ];
  if (found.length === 0) return null;
  const f = found[0]!;
  return {
    status: 'fail',
    message: `The server sends the key back to whoever calls it: found in the ${f.file} (${formWords(f.form)}). Anyone who can reach the server can read it.`,
    evidence: found.slice(0, 20).map(toEvidence),
  };
}

function describe(r: ProbeRequest): string {
  return `${r.method ?? 'GET'} ${r.path}`;
}

export async function httpProbe(spec: Spec, ctx: CheckRunContext): Promise<CheckOutcome> {
  const server = new ProbedServer(spec, ctx);
  const keyAbsent = spec.keyAbsent ?? true;
  try {
    await server.start();
  } catch (e) {
    const message = (e as Error).message;
    const printed = keyAbsent ? await keyInOutput(ctx, message, `The server (\`${server.line}\`)`) : null;
    return printed ?? { status: 'fail', message: `The server (\`${server.line}\`) did not start: ${message}` };
  }
  try {
    const mark = spec.expect.platformCall && ctx.platform ? await markLedger(ctx.platform) : null;
    const what = describe(spec.request);
    let good: Answer | null = null;
    let noAnswer = '';
    try {
      good = await server.send(spec.request);
    } catch (e) {
      noAnswer = (e as Error).message;
    }
    if (keyAbsent) {
      const leak = (good && (await keyInAnswer(ctx, good, what))) || (await sweep(spec, ctx, server));
      if (leak) return leak;
      await new Promise((r) => setTimeout(r, 100)); // let the last log lines arrive
      const printed = await keyInOutput(ctx, server.output(), `The server (\`${server.line}\`)`);
      if (printed) return printed;
      const written = await keyInWrittenFiles(ctx, `The server (\`${server.line}\`)`);
      if (written) return written;
    }
    if (!good) return { status: 'fail', message: `The server started but \`${what}\` got no answer (${noAnswer}). What the server printed:\n${tail(server.output())}` };
    const evidence: Evidence[] = [{ file: what, excerpt: good.text.slice(0, 200) }];
    if (spec.expect.status !== undefined && good.status !== spec.expect.status) {
      const crashed = good.status >= 500 ? `\nWhat the server printed:\n${tail(server.output())}` : '';
      return {
        status: 'fail',
        message: `\`${what}\` answered with status ${good.status}; it should answer ${spec.expect.status}.${good.text ? ` It said: ${good.text.slice(0, 300)}` : ''}${crashed}`,
        evidence,
      };
    }
    for (const want of spec.expect.bodyIncludes ?? []) {
      if (!good.text.includes(want)) {
        return { status: 'fail', message: `The answer to \`${what}\` does not include "${want}". It said: ${good.text.slice(0, 300) || '(nothing)'}`, evidence };
      }
    }
    if (mark && ctx.platform) {
      const missing = await verifyPlatformCall(ctx.platform, mark, ctx.key, spec.expect.platformCall!, `The server, asked \`${what}\`,`);
      if (missing) return missing;
    }
    const swept = keyAbsent && spec.sweep !== false ? ', nor in its answers to bad requests and to the other routes its code names, nor in what it printed' : '';
    const crashes = server.restarts > 0 ? ` (a bad request stopped the server ${server.restarts} time${server.restarts > 1 ? 's' : ''}: answer bad input with a 400 instead)` : '';
    const cut = good.truncated ? ` (only its first ${MAX_MB} MB were read)` : '';
    return { status: 'pass', message: `\`${what}\` answered ${good.status}${cut}${keyAbsent ? `; the key was not in the answer${swept}` : ''}${mark ? '; the platform\'s ledger shows the call with this exercise\'s key' : ''}.${crashes}` };
  } finally {
    await server.stop();
  }
}

/** Bad requests and the code's routes: the first answer that carries the key fails the check. */
async function sweep(spec: Spec, ctx: CheckRunContext, server: ProbedServer): Promise<CheckOutcome | null> {
  if (spec.sweep === false) return null;
  const extra = typeof spec.sweep === 'object' ? (spec.sweep.paths ?? []) : [];
  const routes = [...new Set([...extra, ...(await declaredRoutes(ctx.engine.fs))])];
  for (const r of sweepRequests(spec.request, routes)) {
    if (ctx.signal.aborted) return null;
    let answer: Answer;
    try {
      answer = await server.send(r, SWEEP_REQUEST_MS);
    } catch {
      if (!(await server.restart())) return null;
      continue;
    }
    const leak = await keyInAnswer(ctx, answer, `${describe(r)} (${r.why})`);
    if (leak) return leak;
  }
  return null;
}
