// Runs the learner's respond.mjs once per Check press (when it exists) with the incident admin key,
// as `npm run respond` would; checks after it judge what the platform then shows. A learner who
// used the dashboard instead has a respond.mjs that changes nothing, and the same checks judge that.
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import { ADMIN_KEY } from './scenario.ts';

export interface RespondRun {
  ran: boolean;
  exitCode: number | null;
  output: string;
}

export function runRespond(ctx: CheckContext): Promise<RespondRun> {
  const shared = ctx.shared ?? new Map<string, unknown>();
  let run = shared.get('respond') as Promise<RespondRun> | undefined;
  if (!run) {
    run = (async () => {
      if (!ctx.engine.capabilities.processes || !(await ctx.engine.fs.stat('respond.mjs').catch(() => null))) return { ran: false, exitCode: null, output: '' };
      const r = await ctx.engine.run('node', ['respond.mjs'], { env: { OPENAI_ADMIN_KEY: ADMIN_KEY }, timeoutMs: 60_000, signal: ctx.signal });
      const mask = (t: string) => t.split(ADMIN_KEY).join('sk-admin-****').split(ctx.key).join(`${ctx.key.slice(0, 8)}****`);
      return { ran: true, exitCode: r.exitCode, output: mask(r.output) };
    })();
    shared.set('respond', run);
  }
  return run;
}
