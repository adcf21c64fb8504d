// `run`: a command exits with the expected code and prints what it should.
import type { CheckSpec } from '../define.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';
import { quoteCommand, tail } from './types.ts';

type Spec = Extract<CheckSpec, { kind: 'run' }>;

export async function runCheck(spec: Spec, ctx: CheckRunContext): Promise<CheckOutcome> {
  const line = quoteCommand(spec.command, spec.args);
  const r = await ctx.engine.run(spec.command, spec.args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal, onOutput: ctx.onOutput });
  if (r.timedOut) return { status: 'fail', message: `\`${line}\` did not finish in time. What it printed last:\n${tail(r.output)}` };
  const want = spec.expect.exitCode ?? 0;
  if (r.exitCode !== want) {
    return { status: 'fail', message: `\`${line}\` ended with exit code ${r.exitCode}; expected ${want}. What it printed last:\n${tail(r.output)}` };
  }
  for (const text of spec.expect.outputIncludes ?? []) {
    if (!r.output.includes(text)) return { status: 'fail', message: `\`${line}\` ran, but its output does not include "${text}". It printed:\n${tail(r.output)}` };
  }
  return { status: 'pass', message: `\`${line}\` ran as expected.` };
}
