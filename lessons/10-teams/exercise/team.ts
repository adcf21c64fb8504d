// Chapter 10's platform and observation. The organization starts the way the story tells it: five
// developers, all Owners of the organization and of both projects, one shared key in proj_dev,
// and production running on Ana's personal key. The first check runs `npm run apply` (the learner's
// team.yaml, applied by the script) twice with an Admin key; the other checks ask the platform's
// Admin API, with the official SDK, what is true now — whether the script or the panel made it so.
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import { generateKey } from '../../../src/platform/keys.ts';
import { PlatformClient } from '../../../src/platform/client.ts';
import type OpenAI from 'openai';

export const DEV = 'proj_dev';
export const PROD = 'proj_prod';
export const SHARED_KEY_ID = 'key_team_shared';
export const PROD_PERSONAL_KEY_ID = 'key_ana_prod';
/** The developers of the story (README.md): each needs their own key in proj_dev. */
export const DEVELOPERS = ['cy@example.com', 'dee@example.com', 'eli@example.com'];
export const FINANCE = 'finance@example.com';
const EMAILS = ['ana@example.com', 'ben@example.com', ...DEVELOPERS];

export const platformSeed = {
  projects: [{ id: DEV, name: 'Development' }, { id: PROD, name: 'Production' }],
  users: EMAILS.map((email) => ({ email, role: 'owner', id: `user-${email.split('@')[0]}`, projects: { [DEV]: 'owner', [PROD]: 'owner' } })),
  keys: [
    { value: '{{PLANTED_KEY}}', kind: 'project', projectId: DEV, id: SHARED_KEY_ID, name: 'team key (shared)', owner: 'ana@example.com' },
    // Fresh per course start: a fake key of the real shape, never the real marker.
    { value: generateKey('project'), kind: 'project', projectId: PROD, id: PROD_PERSONAL_KEY_ID, name: "Ana's key (production uses it)", owner: 'ana@example.com' },
  ],
};

export type Verdict = { status: 'pass' | 'fail' | 'skipped'; message: string };

export const needsPlatform: Verdict = {
  status: 'skipped',
  message: "Not run: this check asks the mock platform's Admin API, which only the local engine (`npm start` of the course) provides.",
};

export interface Apply {
  first: { exitCode: number | null; output: string };
  second: { exitCode: number | null; output: string };
  /** Platform events the second run caused (an idempotent script causes none). */
  eventsBySecondRun: string[];
  adminKey: string;
}

/** Runs the learner's `npm run apply` twice (once per Check press, kept in ctx.shared). */
export function applyTeam(ctx: CheckContext): Promise<Apply | Verdict> {
  const shared = ctx.shared ?? new Map<string, unknown>();
  let run = shared.get('apply') as Promise<Apply | Verdict> | undefined;
  if (!run) {
    run = runApply(ctx);
    shared.set('apply', run);
  }
  return run;
}

async function runApply(ctx: CheckContext): Promise<Apply | Verdict> {
  if (!ctx.platform) return needsPlatform;
  const platform = new PlatformClient(ctx.platform);
  const admin = await platform.createKey({ kind: 'admin', name: 'team admin key (course check)' });
  const env = { OPENAI_ADMIN_KEY: admin.value };
  const first = await ctx.engine.run('npm', ['run', '--silent', 'apply'], { env, timeoutMs: 60_000, signal: ctx.signal });
  const before = (await platform.state()).counts.events;
  const second = await ctx.engine.run('npm', ['run', '--silent', 'apply'], { env, timeoutMs: 60_000, signal: ctx.signal });
  const events = (await platform.events(before)).map((e) => e.message);
  return { first: { exitCode: first.exitCode, output: first.output }, second: { exitCode: second.exitCode, output: second.output }, eventsBySecondRun: events, adminKey: admin.value };
}

export const isVerdict = (x: unknown): x is Verdict => !!x && typeof x === 'object' && 'status' in x;

/** The official SDK against the mock platform, as an Admin key or as a person's dashboard session. */
export async function adminClient(ctx: CheckContext, credential: string): Promise<OpenAI['admin']['organization']> {
  const { default: OpenAIClient } = await import('openai');
  return new OpenAIClient({ adminAPIKey: credential, baseURL: ctx.platformBaseUrl, maxRetries: 0 }).admin.organization;
}

export async function all<T>(page: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of page) items.push(item);
  return items;
}

/** "refused" when the platform said no (401/403), else what happened. */
export async function attempt(work: () => Promise<unknown>): Promise<'refused' | 'allowed' | string> {
  try {
    await work();
    return 'allowed';
  } catch (e) {
    const status = (e as { status?: number }).status;
    return status === 401 || status === 403 ? 'refused' : `failed (${(e as Error).message})`;
  }
}
