// The leak core (src/lib/leak, issue 3) as the checks use it. Loaded lazily so the check panel and
// the static checks can load without it, and so its absence gives one clear message.
import type { AuditOptions, Decompressors, DetectContext, Finding, LeakReport } from '../leak/types.ts';

export interface LeakCore {
  auditKey(options: AuditOptions): LeakReport | Promise<LeakReport>;
  /** With `decompress`, also a key inside compressed containers (a base64 gzip blob in a log line). */
  findKeyInBytes(key: string, bytes: Uint8Array, ctx: DetectContext & { decompress?: Decompressors }): Finding[] | Promise<Finding[]>;
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
