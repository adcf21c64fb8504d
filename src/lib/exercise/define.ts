// The typed API a chapter's exercise/checks.ts uses to say what "done" means.
// Shapes only here; the check kinds are implemented in src/lib/exercise/checks/ (issue 4).
import type { FileMap } from '../fs/types.ts';
import type { Engine } from './engine.ts';
import type { CheckResult, Evidence } from './results.ts';
import type { Target } from '../leak/types.ts';

/** Starter and solution files contain this placeholder where the planted key goes (usually `.env`). */
export const PLANTED_KEY_PLACEHOLDER = '{{PLANTED_KEY}}';

export interface CheckContext {
  engine: Engine;
  /** The exact planted key of this attempt. */
  key: string;
  /** The learner's files as the page/CLI sees them. */
  files: FileMap;
  /** Base URL of the mock platform (…/v1) when the exercise uses it. */
  platformBaseUrl?: string;
  /**
   * The mock platform's course controls ({ url: origin without /v1, controlToken }) when the engine
   * can reach them (local engine): checks read its ledger and state, or revoke and restore a key.
   */
  platform?: { url: string; controlToken: string };
  /**
   * One store per Check press, shared by the checks of that pass: a check that makes one expensive
   * observation (a rotation under load) keeps it here, and the checks after it judge parts of it.
   */
  shared?: Map<string, unknown>;
  signal?: AbortSignal;
}

interface CheckBase {
  id: string;
  title: string;
  /** Shown on failure: what to do next. Every check has one. */
  hint: string;
  /** Anchor in the chapter that explains why ("#keep-keys-out-of-git"). */
  explain?: string;
  /** Defaults to true; optional checks do not block a pass. */
  required?: boolean;
  /** Time limit for this check in ms; default 30 s for file checks, 120 s for runs and servers, 180 s for builds. */
  timeoutMs?: number;
}

export type CheckSpec =
  | (CheckBase & {
      kind: 'no-key-in';
      target: Target;
      /** Runs first, then the audit reads `outDir` (required for `bundle`; optional for others, e.g. an image tarball). */
      build?: { command: string; args: string[]; outDir: string };
    })
  | (CheckBase & {
      kind: 'file';
      path: string;
      exists?: boolean;
      /** Regex sources (strings so specs stay serialisable) the content must / must not match. */
      matches?: string[];
      notMatches?: string[];
      /** The file must not contain the planted key in any form. */
      withoutKey?: boolean;
    })
  | (CheckBase & { kind: 'git-ignored'; path: string; ignored: boolean })
  | (CheckBase & {
      kind: 'http-probe';
      server: { command: string; args: string[]; port?: number };
      request: { method?: string; path: string; headers?: Record<string, string>; body?: string };
      expect: { status?: number; bodyIncludes?: string[] };
      /** The key must appear in no response body or header (default true). */
      keyAbsent?: boolean;
    })
  | (CheckBase & { kind: 'run'; command: string; args: string[]; expect: { exitCode?: number; outputIncludes?: string[] } })
  | (CheckBase & {
      kind: 'custom';
      /** Needs a runtime (processes); shown as skipped on the in-browser engine. */
      needsRuntime?: boolean;
      run(ctx: CheckContext): Promise<Omit<CheckResult, 'id' | 'title'> & { evidence?: Evidence[] }>;
    });

export interface ExerciseDefinition {
  /** Folder name of the chapter, e.g. "03-backend-proxy". */
  chapter: string;
  /** The exercise calls the mock platform: the engine starts one with the planted key registered. */
  usesPlatform?: boolean;
  /**
   * The mock platform's seed ({ projects, keys }, see src/platform/seed.ts) when the default (one
   * project, the planted key active with all permissions) does not fit; `{{PLANTED_KEY}}` in any
   * string is replaced by the key.
   */
  platformSeed?: Record<string, unknown>;
  /** Commands run once after mounting (e.g. install from the lockfile); cached by the engine. */
  setup?: Array<{ command: string; args: string[] }>;
  /** Paths the solution deletes from the starter. */
  solutionDeletes?: string[];
  checks: CheckSpec[];
}

export function defineExercise(def: ExerciseDefinition): ExerciseDefinition {
  return def;
}
