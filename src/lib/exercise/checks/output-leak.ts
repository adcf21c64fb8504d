// What a program prints is a leak too: logs are kept, shared and pasted into tickets. Every check
// that runs the learner's code (a command, a build, a server) looks for any form of the key in it.
import { leakCore } from '../leak.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';
import { formWords, toEvidence } from './evidence.ts';

const enc = new TextEncoder();

/**
 * A failing outcome when any form of the key is in `output`; null when it is clean.
 * `who` names the program in the message ("`npm start`", "the server (`npm start`)").
 */
export async function keyInOutput(ctx: Pick<CheckRunContext, 'key' | 'decompress'>, output: string, who: string): Promise<CheckOutcome | null> {
  if (!output) return null;
  const { findKeyInBytes } = await leakCore();
  const found = await findKeyInBytes(ctx.key, enc.encode(output), { file: `output of ${who}`, target: 'source', decompress: ctx.decompress });
  if (found.length === 0) return null;
  const f = found[0]!;
  return {
    status: 'fail',
    message: `${who} printed the key (${formWords(f.form)})${f.line ? ` on line ${f.line} of its output` : ''}. Logs are read by other people and kept for a long time: print that a key is set, never the key.`,
    evidence: found.slice(0, 20).map(toEvidence),
  };
}
