// Orchestration: mount the learner's files, run setup, run each check with a time limit, and turn
// every outcome (including a thrown error or a missing runtime) into a result a beginner can read.
import type { Decompressors } from '../leak/types.ts';
import type { CheckContext, CheckSpec, ExerciseDefinition } from './define.ts';
import type { EngineProgress, RunResult } from './engine.ts';
import type { CheckReport, CheckResult } from './results.ts';
import { defaultTimeoutMs, missingCapability, runCheckSpec } from './checks/index.ts';
import type { CheckOutcome } from './checks/index.ts';
import { quoteCommand, tail } from './checks/types.ts';

export interface RunChecksOptions extends CheckContext {
  onProgress?(p: EngineProgress): void;
  onOutput?(chunk: string, stream: 'stdout' | 'stderr'): void;
  decompress?: Decompressors;
  /** Mount `files` into the engine first (default true; false when the engine already holds the project). */
  mount?: boolean;
}

const NEEDS: Record<string, string> = {
  processes: 'needs a runtime: this engine cannot run commands, so this check was not run (it does not count as passed).',
  servers: 'needs a runtime: this engine cannot start a server, so this check was not run (it does not count as passed).',
  build: 'needs a runtime: this engine cannot build the project, so this check was not run (it does not count as passed).',
};

class CheckTimeout extends Error {}

function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, outer?: AbortSignal): Promise<T> {
  const ac = new AbortController();
  const onAbort = () => ac.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort(new CheckTimeout());
      reject(new CheckTimeout());
    }, ms);
  });
  return Promise.race([work(ac.signal), timeout]).finally(() => {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  });
}

function result(spec: CheckSpec, o: CheckOutcome): CheckResult {
  const r: CheckResult = { id: spec.id, title: spec.title, status: o.status, message: o.message, required: spec.required ?? true };
  if (o.status !== 'pass') {
    r.hint = spec.hint;
    if (spec.explain) r.explain = spec.explain;
  }
  if (o.evidence?.length) r.evidence = o.evidence;
  return r;
}

/** Checks a chapter author would get wrong: duplicate ids, missing hints. Thrown early, in words. */
export function validateDefinition(def: ExerciseDefinition): void {
  if (!def || !Array.isArray(def.checks)) {
    throw new Error('An exercise needs `export default defineExercise({ chapter, checks: [...] })` in exercise/checks.ts.');
  }
  const seen = new Set<string>();
  for (const c of def.checks) {
    if (!c.id || seen.has(c.id)) throw new Error(`Exercise "${def.chapter}": every check needs a unique id (problem with "${c.id ?? '(none)'}").`);
    seen.add(c.id);
    if (!c.hint) throw new Error(`Exercise "${def.chapter}": check "${c.id}" needs a \`hint\` (what the learner should do when it fails).`);
  }
}

export async function runChecks(def: ExerciseDefinition, ctx: RunChecksOptions): Promise<CheckReport> {
  validateDefinition(def);
  const { engine } = ctx;
  const progress = (value: number, text: string) => ctx.onProgress?.({ value, text });
  const checks: CheckResult[] = [];
  const total = def.checks.length;

  if (ctx.mount !== false) {
    progress(0, 'copying your files');
    await engine.mount(ctx.files);
  }

  let setupFailed: string | null = null;
  const setup = def.setup ?? [];
  if (engine.capabilities.processes) {
    for (const [i, step] of setup.entries()) {
      const line = quoteCommand(step.command, step.args);
      progress(0.05, `preparing the project ${i + 1}/${setup.length}: ${line}`);
      const r: RunResult = await engine.run(step.command, step.args, { timeoutMs: 300_000, signal: ctx.signal, onOutput: ctx.onOutput });
      if (r.exitCode !== 0) {
        setupFailed = `Preparing the project (\`${line}\`) failed${r.timedOut ? ' (it took too long)' : ` with exit code ${r.exitCode}`}. What it printed last:\n${tail(r.output)}`;
        checks.push({ id: 'setup', title: 'Prepare the project', status: 'error', message: setupFailed, required: true, hint: 'Did you change package.json? Undo that change, or reset the chapter.' });
        break;
      }
    }
  }

  const builds = new Map<string, Promise<RunResult>>();
  const shared = new Map<string, unknown>();
  // A run that writes the key into its own .env-style home does right; the chapter says where that is.
  const keyHomes = def.checks.flatMap((c) => (c.kind === 'no-key-in' && c.target === 'source' && c.keyHomes ? [c.keyHomes] : []))[0];
  // What the chapter's bundle checks build and audit; the written-files audit leaves it to them.
  const auditedBuildDirs = def.checks.flatMap((c) => (c.kind === 'no-key-in' && c.build ? [c.build.outDir] : []));
  for (const [i, spec] of def.checks.entries()) {
    if (ctx.signal?.aborted) {
      checks.push(result(spec, { status: 'skipped', message: 'Not run: the check was cancelled.' }));
      continue;
    }
    progress(0.1 + (0.9 * i) / total, `check ${i + 1}/${total}: ${spec.title}`);
    const missing = missingCapability(spec, engine.capabilities);
    if (missing) {
      checks.push(result(spec, { status: 'skipped', message: NEEDS[missing]! }));
      continue;
    }
    if (setupFailed && missingCapability(spec, { processes: false, servers: false }) !== null) {
      checks.push(result(spec, { status: 'skipped', message: 'Not run: preparing the project failed (see "Prepare the project").' }));
      continue;
    }
    const ms = spec.timeoutMs ?? defaultTimeoutMs(spec);
    try {
      const outcome = await withTimeout(
        (signal) => runCheckSpec(spec, { ...ctx, signal, timeoutMs: ms, builds, shared, keyHomes, auditedBuildDirs }),
        ms,
        ctx.signal,
      );
      checks.push(result(spec, outcome));
    } catch (e) {
      const message =
        e instanceof CheckTimeout
          ? `This check did not finish within its time limit of ${Math.round(ms / 1000)} s, so it was stopped. Is something waiting forever (a server that never answers, a build in watch mode)?`
          : `This check could not run: ${(e as Error)?.message ?? String(e)}`;
      checks.push(result(spec, { status: 'error', message }));
      if (e instanceof CheckTimeout) await engine.stopAll().catch(() => {});
    }
  }
  progress(1, 'done');
  const passed = checks.every((c) => c.required === false || c.status === 'pass');
  return { passed, engine: engine.kind, checks };
}
