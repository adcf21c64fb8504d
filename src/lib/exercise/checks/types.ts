// What every check kind receives and returns. runChecks() adds id, title, hint and explain.
import type { Decompressors } from '../../leak/types.ts';
import type { CheckContext } from '../define.ts';
import type { RunResult } from '../engine.ts';
import type { CheckStatus, Evidence } from '../results.ts';

export interface CheckRunContext extends CheckContext {
  signal: AbortSignal;
  /** Time left for this check; commands it runs get it as their limit. */
  timeoutMs: number;
  decompress?: Decompressors;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Builds already run in this pass, by command line: two bundle checks build once. */
  builds: Map<string, Promise<RunResult>>;
  /** Where the key may live, git-ignored (the chapter's `no-key-in` source `keyHomes`; default .env files). */
  keyHomes?: string[];
  /** Build output folders the chapter's `no-key-in` checks build and audit (`build.outDir`), as project paths. */
  auditedBuildDirs?: string[];
}

export interface CheckOutcome {
  status: CheckStatus;
  message: string;
  evidence?: Evidence[];
}

/** The last lines of a command's output, for a message ("…what the build printed last"). */
export function tail(output: string, lines = 12): string {
  const all = output.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

export function quoteCommand(command: string, args: string[]): string {
  return [command, ...args].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ');
}
