// The leak core (src/lib/leak, issue 3) as the checks use it. Loaded lazily so the check panel and
// the static checks can load without it, and so its absence gives one clear message.
import type { AuditOptions, KeyDetector, LeakReport } from '../leak/types.ts';

export interface LeakCore {
  auditKey(options: AuditOptions): LeakReport | Promise<LeakReport>;
  findKeyInBytes: KeyDetector;
}

let core: Promise<LeakCore> | undefined;

export function leakCore(): Promise<LeakCore> {
  core ??= import('../leak/index.ts').then(
    (m) => m as unknown as LeakCore,
    (e: unknown) => {
      core = undefined;
      throw new Error(`The leak detector (src/lib/leak/index.ts) could not be loaded: ${(e as Error).message}`);
    },
  );
  return core;
}
