// `http-probe`: start the project's server, send one request, check status and body, and make sure
// no form of the key is in the response body or any header.
import type { CheckSpec } from '../define.ts';
import type { ServerHandle } from '../engine.ts';
import { leakCore } from '../leak.ts';
import type { Evidence } from '../results.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';
import { quoteCommand, tail } from './types.ts';
import { formWords, toEvidence } from './evidence.ts';

type Spec = Extract<CheckSpec, { kind: 'http-probe' }>;

const enc = new TextEncoder();

export async function httpProbe(spec: Spec, ctx: CheckRunContext): Promise<CheckOutcome> {
  const line = quoteCommand(spec.server.command, spec.server.args);
  let server: ServerHandle;
  try {
    server = await ctx.engine.startServer(spec.server.command, spec.server.args, {
      port: spec.server.port ?? 0,
      timeoutMs: ctx.timeoutMs,
      readyTimeoutMs: Math.min(ctx.timeoutMs, 30_000),
      signal: ctx.signal,
      onOutput: ctx.onOutput,
    });
  } catch (e) {
    return { status: 'fail', message: `The server (\`${line}\`) did not start: ${(e as Error).message}` };
  }
  try {
    const method = spec.request.method ?? 'GET';
    const what = `${method} ${spec.request.path}`;
    let res: Response;
    try {
      res = await ctx.engine.fetch(new URL(spec.request.path, server.url).href, {
        method,
        headers: spec.request.headers,
        body: spec.request.body,
        signal: ctx.signal,
      });
    } catch (e) {
      return { status: 'fail', message: `The server started but \`${what}\` got no answer (${(e as Error).message}). Its output:\n${tail(server.output())}` };
    }
    const body = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(body);
    if (spec.keyAbsent ?? true) {
      const { findKeyInBytes } = await leakCore();
      const headerText = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
      const found = [
        ...(await findKeyInBytes(ctx.key, body, { file: `response body of ${what}`, target: 'source' })),
        ...(await findKeyInBytes(ctx.key, enc.encode(headerText), { file: `response headers of ${what}`, target: 'source' })),
      ];
      if (found.length > 0) {
        const f = found[0]!;
        return {
          status: 'fail',
          message: `The server sends the key back to whoever calls it: found in the ${f.file} (${formWords(f.form)}). Anyone who opens the page can read it.`,
          evidence: found.slice(0, 20).map(toEvidence),
        };
      }
    }
    const evidence: Evidence[] = [{ file: what, excerpt: text.slice(0, 200) }];
    if (spec.expect.status !== undefined && res.status !== spec.expect.status) {
      return {
        status: 'fail',
        message: `\`${what}\` answered with status ${res.status}; it should answer ${spec.expect.status}.${text ? ` It said: ${text.slice(0, 300)}` : ''}`,
        evidence,
      };
    }
    for (const want of spec.expect.bodyIncludes ?? []) {
      if (!text.includes(want)) {
        return { status: 'fail', message: `The answer to \`${what}\` does not include "${want}". It said: ${text.slice(0, 300) || '(nothing)'}`, evidence };
      }
    }
    return { status: 'pass', message: `\`${what}\` answered ${res.status}${spec.keyAbsent ?? true ? ' and never showed the key' : ''}.` };
  } finally {
    await server.stop();
  }
}
