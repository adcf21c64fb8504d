// Runs code that executes once per process (building the key's tables) without V8's optimizing
// compiler. That code is hot for a few milliseconds: V8 sends its loops to TurboFan on a background
// thread, and the compiled code arrives when the tables are nearly built, so a short `leakproof
// audit` paid ~15-20 ms of CPU (a tenth of a 50 MB audit) for code it hardly used. Measured with
// `npm run bench:leak` (docs/leak-benchmark.md). The scan that follows is compiled as before.
import { createRequire } from 'node:module';

// node:v8 by require(): an ESM import builds a namespace of every export (see commands/audit.ts).
const nodeRequire = createRequire(import.meta.url);

export function withoutOptimizingCompiler<T>(run: () => T): T {
  // Whoever chose the JIT's flags (node --jitless, --no-turbofan, NODE_OPTIONS=…) keeps them:
  // switching TurboFan back on afterwards would override their choice.
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (/jitless|turbofan|--no-opt\b|--max-opt\b/.test(flags)) return run();
  let v8: typeof import('node:v8') | undefined;
  try {
    v8 = nodeRequire('node:v8') as typeof import('node:v8');
    // V8 reads this flag whenever it decides whether to optimize, so it can change at run time.
    v8.setFlagsFromString('--no-turbofan');
  } catch {
    v8 = undefined; // not Node, or flags frozen: just run it
  }
  try {
    return run();
  } finally {
    v8?.setFlagsFromString('--turbofan');
  }
}
