// Chapter 4's observation, made once per Check press and judged by the checks in checks.ts: if the
// project has an admin script (`npm run platform:setup`), run it with an admin key in the
// environment; then read which key each app's .env holds, look the keys up on the platform, run both
// apps (their calls land in the ledger), ask for a model the chatbot must not use, and revoke the
// chatbot's key for a moment to see that the report still works (then restore it).
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import { PlatformClient } from '../../../src/platform/client.ts';
import type { KeyView, LedgerEntry, PlatformSnapshot } from '../../../src/platform/types.ts';

export const DEFAULT_PROJECT = 'proj_default';
export const SHARED_KEY_ID = 'key_shared';
export const SETUP_SCRIPT = 'platform:setup';

/** One organization, one project, one all-powerful key that both apps share. */
export const platformSeed = {
  projects: [{ id: DEFAULT_PROJECT, name: 'Default project' }],
  keys: [{ value: '{{PLANTED_KEY}}', kind: 'project', projectId: DEFAULT_PROJECT, id: SHARED_KEY_ID, name: 'shared key (both apps)' }],
};

export interface AppRun {
  /** The key the app's .env holds, as the platform knows it (null: no such key). */
  key: KeyView | null;
  /** The value, to look for it in output (never shown). */
  value: string | null;
  /** The app answered (chatbot: 200 from /api/chat; report: exit 0), and the ledger entries it made. */
  worked: boolean;
  detail: string;
  calls: LedgerEntry[];
}

export interface DashboardRun {
  setup: { ran: boolean; exitCode: number | null; output: string };
  state: PlatformSnapshot;
  chatbot: AppRun;
  report: AppRun;
  /** Status and error code the chatbot's key got for gpt-4o and for gpt-4o-mini. */
  chatbotModels: { expensive: { status: number; code: string | null }; cheap: { status: number; code: string | null } } | null;
  /** With the chatbot's key revoked (the key the ledger showed the chatbot using): did the report still work? */
  isolation: { report: AppRun } | null;
  outputs: Array<{ where: string; text: string }>;
  secrets: Array<{ label: string; value: string }>;
}

export type Observation = { ok: true; run: DashboardRun } | { ok: false; status: 'fail' | 'skipped'; message: string };

/** KEY=value lines of a .env file (quotes and `export ` allowed), enough for OPENAI_API_KEY. */
export function envValue(text: string | null, name: string): string | null {
  if (!text) return null;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m || m[1] !== name) continue;
    let v = m[2]!.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    return v || null;
  }
  return null;
}

export function observeDashboard(ctx: CheckContext): Promise<Observation> {
  const shared = ctx.shared ?? new Map<string, unknown>();
  let run = shared.get('dashboard') as Promise<Observation> | undefined;
  if (!run) {
    run = observe(ctx);
    shared.set('dashboard', run);
  }
  return run;
}

const text = async (ctx: CheckContext, path: string) => {
  try {
    return new TextDecoder().decode(await ctx.engine.fs.readFile(path));
  } catch {
    return null;
  }
};

async function observe(ctx: CheckContext): Promise<Observation> {
  if (!ctx.platform || !ctx.platformBaseUrl) {
    return { ok: false, status: 'skipped', message: 'Not run: this check needs the mock platform\'s controls, which only the local engine (`npm start` of the course) provides.' };
  }
  const platform = new PlatformClient(ctx.platform);
  const outputs: DashboardRun['outputs'] = [];
  const secrets: DashboardRun['secrets'] = [{ label: 'the shared key', value: ctx.key }];

  // 1. The admin-script way: run it, with an admin key only in its environment.
  const pkg = JSON.parse((await text(ctx, 'package.json')) ?? '{}') as { scripts?: Record<string, string> };
  const setup = { ran: false, exitCode: null as number | null, output: '' };
  if (pkg.scripts?.[SETUP_SCRIPT]) {
    const admin = await platform.createKey({ kind: 'admin', name: 'admin key (course check)' });
    secrets.push({ label: 'the admin key', value: admin.value });
    try {
      const r = await ctx.engine.run('npm', ['run', SETUP_SCRIPT], { env: { OPENAI_ADMIN_KEY: admin.value }, timeoutMs: 60_000, signal: ctx.signal });
      Object.assign(setup, { ran: true, exitCode: r.timedOut ? null : r.exitCode, output: r.output });
      outputs.push({ where: `the output of \`npm run ${SETUP_SCRIPT}\``, text: r.output });
    } finally {
      await platform.revokeKey(admin.key.id).catch(() => {});
    }
    if (setup.exitCode !== 0) {
      return { ok: false, status: 'fail', message: `\`npm run ${SETUP_SCRIPT}\` ${setup.exitCode === null ? 'did not finish in time' : `ended with exit code ${setup.exitCode}`}. What it printed last:\n${setup.output.trimEnd().split('\n').slice(-10).join('\n')}` };
    }
  }

  // 2. Which key does each app hold?
  const app = async (dir: string): Promise<Pick<AppRun, 'key' | 'value'>> => {
    const value = envValue(await text(ctx, `${dir}/.env`), 'OPENAI_API_KEY');
    const key = value ? await platform.lookupKey(value) : null;
    if (value && value !== ctx.key) secrets.push({ label: `${dir}'s key`, value });
    return { key, value };
  };
  const chatbotKey = await app('chatbot');
  const reportKey = await app('report');

  // 3. Both apps, for real.
  const runChatbot = async (): Promise<{ worked: boolean; detail: string }> => {
    let server;
    try {
      server = await ctx.engine.startServer('npm', ['run', 'chatbot'], { port: 0, timeoutMs: 30_000, readyTimeoutMs: 20_000, signal: ctx.signal });
    } catch (e) {
      return { worked: false, detail: `the chatbot (\`npm run chatbot\`) did not start: ${(e as Error).message.split('\n')[0]}` };
    }
    try {
      const res = await ctx.engine.fetch(new URL('/api/chat', server.url).href, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"Is my order on its way?"}' });
      const body = await res.text();
      return res.status === 200 && body.includes('(mock ') ? { worked: true, detail: 'the chatbot answered' } : { worked: false, detail: `the chatbot answered ${res.status}: ${body.slice(0, 200)}` };
    } finally {
      await server.stop();
      outputs.push({ where: 'the chatbot\'s output', text: server.output() });
    }
  };
  const runReport = async (): Promise<{ worked: boolean; detail: string }> => {
    const r = await ctx.engine.run('npm', ['run', 'report'], { timeoutMs: 30_000, signal: ctx.signal });
    outputs.push({ where: 'the report\'s output', text: r.output });
    return r.exitCode === 0 && r.output.includes('(mock ') ? { worked: true, detail: 'the report was written' } : { worked: false, detail: `the report failed (exit code ${r.exitCode}): ${r.output.trimEnd().split('\n').slice(-3).join(' ')}` };
  };
  const withCalls = async <T>(work: () => Promise<T>): Promise<T & { calls: LedgerEntry[] }> => {
    const from = (await platform.state()).counts.ledger;
    const result = await work();
    return { ...result, calls: await platform.ledger(from) };
  };
  const chatbot: AppRun = { ...chatbotKey, ...(await withCalls(runChatbot)) };
  const report: AppRun = { ...reportKey, ...(await withCalls(runReport)) };

  // 4. The chatbot's key against an expensive and a cheap model, straight at the platform.
  let chatbotModels: DashboardRun['chatbotModels'] = null;
  if (chatbot.key && chatbot.value) {
    const ask = async (model: string) => {
      const res = await fetch(`${ctx.platformBaseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${chatbot.value}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Which model are you?' }], max_tokens: 5 }),
      });
      const json = (await res.json().catch(() => ({}))) as { error?: { code?: string | null } };
      return { status: res.status, code: json.error?.code ?? null };
    };
    chatbotModels = { expensive: await ask('gpt-4o'), cheap: await ask('gpt-4o-mini') };
  }

  // 5. Revoke the chatbot's key for a moment: the report must not care. Then put it back.
  let isolation: DashboardRun['isolation'] = null;
  if (chatbot.key && chatbot.key.status === 'active' && report.worked) {
    await platform.revokeKey(chatbot.key.id);
    try {
      isolation = { report: { ...reportKey, ...(await withCalls(runReport)) } };
    } finally {
      await platform.restoreKey(chatbot.key.id, 'the check revoked it to test that the report does not depend on it');
    }
  }
  return { ok: true, run: { setup, state: await platform.state(), chatbot, report, chatbotModels, isolation, outputs, secrets } };
}
