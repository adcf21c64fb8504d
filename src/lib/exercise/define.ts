// The typed API a chapter's exercise/checks.ts uses to say what "done" means.
// Shapes only here; the check kinds are implemented in src/lib/exercise/checks/ (issue 4).
import type { FileMap } from '../fs/types.ts';
import type { Engine } from './engine.ts';
import type { CheckResult, Evidence } from './results.ts';
import type { Target } from '../leak/types.ts';
import type { CheckRunContext } from './checks/types.ts';

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
  platform?: PlatformAccess;
  /**
   * The local Secrets Manager stand-in when the exercise asks for one (`secretStore`): its endpoint
   * for the AWS SDK (AWS_ENDPOINT_URL_SECRETS_MANAGER), region, the app's own identity, and its
   * ledger at `${url}/__leakproof/ledger` (who read which secret and version; never a value).
   */
  secretStore?: { url: string; region: string; accessKeyId: string; secretAccessKey: string; secretName: string };
  /**
   * One store per Check press, shared by the checks of that pass: a check that makes one expensive
   * observation (a rotation under load) keeps it here, and the checks after it judge parts of it.
   */
  shared?: Map<string, unknown>;
  signal?: AbortSignal;
}

export interface PlatformAccess {
  /** Origin of the mock platform, without /v1 (http://127.0.0.1:PORT). */
  url: string;
  controlToken: string;
}

/**
 * "The program really called the platform": a new, accepted call in the mock platform's ledger made
 * during this check. `true` = with the planted key; `'any-key'` = with any key of the platform (a
 * rotation chapter's new key). Without platform access (in-browser engines) the check says so.
 */
export type PlatformCallExpectation = boolean | 'any-key';

/** What a server is sent, one request. */
export interface ProbeRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
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
      /**
       * `source` only. By default the audit reads every file of the project, git-ignored ones too
       * (a key in an ignored src/secret.js still ships with the code), except the key's homes:
       * these gitignore-style patterns, when git ignores the file. Default: `.env` and `.env.*`
       * except *example*, *sample* and *template* files. A key home git would commit is a leak.
       */
      keyHomes?: string[];
      /** `source` only: audit only the files git would commit (the old, weaker reading). Say why in a comment. */
      committedOnly?: boolean;
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
      /** The good request: its answer is judged by `expect`. */
      request: ProbeRequest;
      expect: { status?: number; bodyIncludes?: string[]; platformCall?: PlatformCallExpectation };
      /** The key must appear in no response body or header, and not in what the server prints (default true). */
      keyAbsent?: boolean;
      /**
       * After the good request, also send bad ones (malformed JSON, empty body, wrong method, an
       * unknown route, a query string) and every route the project's code names, and check each
       * answer's body and headers for the key. Default true; `{ paths }` adds routes to try.
       */
      sweep?: boolean | { paths?: string[] };
    })
  | (CheckBase & {
      kind: 'run';
      command: string;
      args: string[];
      expect: { exitCode?: number; outputIncludes?: string[]; platformCall?: PlatformCallExpectation };
      /** What the command prints may show the key (default false: printing it is a leak). */
      outputMayShowKey?: boolean;
    })
  | (CheckBase & {
      kind: 'key-from-env';
      /**
       * The program takes the key from where it lives (an ignored .env file or the environment),
       * not from its code: the check swaps in a second key the platform knows (in every key-home
       * file and in OPENAI_API_KEY), runs the program (a command, or a server plus one request),
       * and wants the platform's ledger to show a call with the second key.
       */
      command?: string;
      args?: string[];
      server?: { command: string; args: string[]; port?: number };
      request?: ProbeRequest;
      /** Key-home patterns, as for `no-key-in` (default .env and .env.*, not example files). */
      keyHomes?: string[];
    })
  | (CheckBase & {
      kind: 'custom';
      /** Needs a runtime (processes); shown as skipped on the in-browser engine. */
      needsRuntime?: boolean;
      // The full context of a check run: also its time limit and the builds this Check already ran.
      run(ctx: CheckRunContext): Promise<Omit<CheckResult, 'id' | 'title'> & { evidence?: Evidence[] }>;
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
  /**
   * The exercise reads its key from a secret manager: the engine starts a local Secrets Manager
   * stand-in (src/platform/secrets-manager.ts) holding the planted key under `secretName`, with one
   * identity for the app. Node engines only.
   */
  secretStore?: { secretName: string };
  /** Commands run once after mounting (e.g. install from the lockfile); cached by the engine. */
  setup?: Array<{ command: string; args: string[] }>;
  /** Paths the solution deletes from the starter. */
  solutionDeletes?: string[];
  /**
   * Time a full warm check should take on the local engine, reported by `npm run bench:check`:
   * 5 s by default, 15 s for a chapter whose check sends traffic through the learner's server
   * (CHAPTERS.md, "Engines and speed").
   */
  targetCheckSeconds?: number;
  checks: CheckSpec[];
}

export function defineExercise(def: ExerciseDefinition): ExerciseDefinition {
  return def;
}
