// `run`: a command exits with the expected code and prints what it should, never the key (nor
// writes it into a project file); with `expect.platformCall`, the mock platform's ledger must show
// that it really called the model.
import type { CheckSpec } from '../define.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';
import { quoteCommand, tail } from './types.ts';
import { keyInOutput } from './output-leak.ts';
import { keyInWrittenFiles } from './written-files.ts';
import { markLedger, verifyPlatformCall } from './platform-ledger.ts';

type Spec = Extract<CheckSpec, { kind: 'run' }>;

export async function runCheck(spec: Spec, ctx: CheckRunContext): Promise<CheckOutcome> {
  const line = quoteCommand(spec.command, spec.args);
  const mark = spec.expect.platformCall && ctx.platform ? await markLedger(ctx.platform) : null;
  const r = await ctx.engine.run(spec.command, spec.args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal, onOutput: ctx.onOutput });
  // First, so that no message below quotes output with the key in it.
  if (!spec.outputMayShowKey) {
    const printed = await keyInOutput(ctx, r.output, `\`${line}\``);
    if (printed) return printed;
    const written = await keyInWrittenFiles(ctx, `\`${line}\``);
    if (written) return written;
  }
  if (r.timedOut) return { status: 'fail', message: `\`${line}\` did not finish in time. What it printed last:\n${tail(r.output)}` };
  const want = spec.expect.exitCode ?? 0;
  if (r.exitCode !== want) {
    return { status: 'fail', message: `\`${line}\` ended with exit code ${r.exitCode}; expected ${want}. What it printed last:\n${tail(r.output)}` };
  }
  for (const text of spec.expect.outputIncludes ?? []) {
    if (!r.output.includes(text)) return { status: 'fail', message: `\`${line}\` ran, but its output does not include "${text}". It printed:\n${tail(r.output)}` };
  }
  if (mark && ctx.platform) {
    const missing = await verifyPlatformCall(ctx.platform, mark, ctx.key, spec.expect.platformCall!, `\`${line}\``);
    if (missing) return missing;
    return { status: 'pass', message: `\`${line}\` ran, and the platform's ledger shows its call to the model with this exercise's key.` };
  }
  return { status: 'pass', message: `\`${line}\` ran as expected.` };
}
