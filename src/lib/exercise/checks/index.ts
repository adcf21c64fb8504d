// One function per check kind, and what each needs from the engine.
import type { CheckSpec } from '../define.ts';
import type { EngineCapabilities } from '../engine.ts';
import { customCheck } from './custom.ts';
import { fileCheck } from './file.ts';
import { gitIgnored } from './git-ignored.ts';
import { httpProbe } from './http-probe.ts';
import { keyFromEnv } from './key-from-env.ts';
import { noKeyIn } from './no-key-in.ts';
import { runCheck } from './run.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';

export type { CheckOutcome, CheckRunContext } from './types.ts';

export function runCheckSpec(spec: CheckSpec, ctx: CheckRunContext): Promise<CheckOutcome> {
  switch (spec.kind) {
    case 'no-key-in':
      return noKeyIn(spec, ctx);
    case 'file':
      return fileCheck(spec, ctx);
    case 'git-ignored':
      return gitIgnored(spec, ctx);
    case 'http-probe':
      return httpProbe(spec, ctx);
    case 'run':
      return runCheck(spec, ctx);
    case 'key-from-env':
      return keyFromEnv(spec, ctx);
    case 'custom':
      return customCheck(spec, ctx);
    default:
      throw new Error(`Unknown check kind "${(spec as { kind: string }).kind}". Known kinds: no-key-in, file, git-ignored, http-probe, run, key-from-env, custom.`);
  }
}

/** What a check needs that a file-only engine lacks; null when any engine can run it. */
export function missingCapability(spec: CheckSpec, caps: EngineCapabilities): string | null {
  const processes = caps.processes;
  switch (spec.kind) {
    case 'no-key-in':
      if (spec.target === 'bundle') return processes || caps.build ? null : 'build';
      if (spec.target === 'image' || spec.build) return processes ? null : 'processes';
      return null;
    case 'http-probe':
      return caps.servers ? null : 'servers';
    case 'run':
      return processes ? null : 'processes';
    case 'key-from-env':
      return spec.server ? (caps.servers ? null : 'servers') : processes ? null : 'processes';
    case 'custom':
      return spec.needsRuntime && !processes ? 'processes' : null;
    default:
      return null;
  }
}

/** Default time limit per kind: builds and servers get longer. */
export function defaultTimeoutMs(spec: CheckSpec): number {
  if (spec.kind === 'no-key-in' && (spec.target === 'bundle' || spec.target === 'image' || spec.build)) return 180_000;
  if (spec.kind === 'http-probe' || spec.kind === 'run' || spec.kind === 'key-from-env' || spec.kind === 'custom') return 120_000;
  return 30_000;
}
