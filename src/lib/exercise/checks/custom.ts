// `custom`: the chapter's own function decides (e.g. a flow over the mock platform).
import type { CheckSpec } from '../define.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';

type Spec = Extract<CheckSpec, { kind: 'custom' }>;

export async function customCheck(spec: Spec, ctx: CheckRunContext): Promise<CheckOutcome> {
  const r = await spec.run(ctx);
  if (!r || !['pass', 'fail', 'skipped', 'error'].includes(r.status)) {
    throw new Error(`Check "${spec.id}": its run() must return { status: 'pass' | 'fail' | 'skipped' | 'error', message }.`);
  }
  return { status: r.status, message: r.message, evidence: r.evidence };
}
