// Chapter 7's observation: start the learner's server, send it steady traffic, run their
// `npm run rotate` with an admin key in the environment, and record what the platform saw (keys,
// ledger, refusals) and what every program printed. The checks in checks.ts judge parts of it; the
// first one makes it once per Check press (ctx.shared).
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import { startTraffic, type TrafficReport } from '../../../src/lib/exercise/traffic.ts';
import { PlatformClient } from '../../../src/platform/client.ts';
import type { KeyView, LedgerEntry, Rejection } from '../../../src/platform/types.ts';

export const PROJECT_ID = 'proj_chat';
export const OLD_KEY_ID = 'key_chat_server';
export const POLICY_DAYS = 90;
const DAY_S = 86_400;

export interface RotationRun {
  rotate: { exitCode: number | null; timedOut: boolean; output: string };
  serverOutput: string;
  traffic: TrafficReport;
  /** The platform after the rotation, before the check put it back. */
  keys: KeyView[];
  oldKey: KeyView;
  /** Keys the rotation created (not the check's own admin key). */
  newKeys: KeyView[];
  /** Accepted calls during the run, and those after `npm run rotate` ended. */
  ledger: LedgerEntry[];
  ledgerAfterRotate: LedgerEntry[];
  /** Refused calls of the server's keys during the run. */
  refused: Rejection[];
  /** Every key value a program must never print: the old, the new ones, the admin key. */
  secrets: Array<{ label: string; value: string }>;
}

export type Observation = { ok: true; run: RotationRun } | { ok: false; status: 'fail' | 'skipped'; message: string };

/** The chapter's seed: a project, its service account, and the server's key, 80 days old. */
export const platformSeed = {
  projects: [{ id: PROJECT_ID, name: 'Chat server' }],
  serviceAccounts: [{ id: 'svc_acct_chat_server', projectId: PROJECT_ID, name: 'chat-server' }],
  keys: [
    {
      value: '{{PLANTED_KEY}}',
      kind: 'project',
      projectId: PROJECT_ID,
      id: OLD_KEY_ID,
      name: 'chat server key (made in the dashboard)',
      ageSeconds: 80 * DAY_S,
      expiresInSeconds: 10 * DAY_S,
    },
  ],
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function observeRotation(ctx: CheckContext): Promise<Observation> {
  const shared = ctx.shared ?? new Map<string, unknown>();
  let run = shared.get('rotation') as Promise<Observation> | undefined;
  if (!run) {
    run = observe(ctx);
    shared.set('rotation', run);
  }
  return run;
}

async function observe(ctx: CheckContext): Promise<Observation> {
  if (!ctx.platform) {
    return { ok: false, status: 'skipped', message: 'Not run: this check needs the mock platform\'s controls, which only the local engine (`npm start` of the course) provides.' };
  }
  const platform = new PlatformClient(ctx.platform);
  const before = await platform.state();
  const old = before.keys.find((k) => k.id === OLD_KEY_ID);
  if (!old) return { ok: false, status: 'fail', message: `The platform has no key ${OLD_KEY_ID}: reset the chapter and check again.` };
  // A previous check (or the learner, in the panel) may have revoked it: start from the story's state.
  if (old.status === 'revoked') await platform.restoreKey(OLD_KEY_ID, 'the check starts from the chapter\'s starting state');
  const known = new Set(before.keys.map((k) => k.id));
  const admin = await platform.createKey({ kind: 'admin', name: 'rotation admin key (course check)' });
  known.add(admin.key.id);
  const ledgerStart = before.counts.ledger;
  const refusedStart = before.counts.rejections;

  let server;
  try {
    server = await ctx.engine.startServer('npm', ['start'], { port: 0, timeoutMs: 90_000, readyTimeoutMs: 20_000, signal: ctx.signal });
  } catch (e) {
    await platform.revokeKey(admin.key.id).catch(() => {});
    return { ok: false, status: 'fail', message: `The server (\`npm start\`) did not start: ${(e as Error).message}` };
  }
  const created: string[] = [];
  try {
    const url = new URL('/api/chat', server.url).href;
    const traffic = startTraffic({
      fetch: (u, init) => ctx.engine.fetch(u, init),
      url,
      headers: { 'content-type': 'application/json' },
      body: (n) => JSON.stringify({ message: `request ${n}` }),
    });
    await traffic.settled(20, 10_000);
    const warm = traffic.done;
    const rotate = await ctx.engine.run('npm', ['run', 'rotate'], { env: { OPENAI_ADMIN_KEY: admin.value }, timeoutMs: 45_000, signal: ctx.signal });
    const ledgerAtRotateEnd = (await platform.state()).counts.ledger;
    // Keep the traffic going a little: the new key must carry it after the script is done.
    await sleep(600);
    const report = await traffic.stop();
    const after = await platform.state();
    const ledger = await platform.ledger(ledgerStart);
    const refusedAll = await platform.rejections(refusedStart);
    const newKeys = after.keys.filter((k) => !known.has(k.id) && k.kind !== 'admin');
    created.push(...newKeys.map((k) => k.id));
    const serverKeys = new Set([OLD_KEY_ID, ...created]);
    const secrets = [{ label: 'the old key', value: ctx.key }, { label: 'the admin key', value: admin.value }];
    for (const k of newKeys) secrets.push({ label: `the new key ${k.redacted}`, value: await platform.keyValue(k.id) });
    if (warm === 0) return { ok: false, status: 'fail', message: `The server never answered \`POST /api/chat\`, so there was nothing to keep running. What it printed:\n${server.output().slice(-1500)}` };
    return {
      ok: true,
      run: {
        rotate: { exitCode: rotate.exitCode, timedOut: rotate.timedOut, output: rotate.output },
        serverOutput: server.output(),
        traffic: report,
        keys: after.keys,
        oldKey: after.keys.find((k) => k.id === OLD_KEY_ID)!,
        newKeys,
        ledger,
        ledgerAfterRotate: ledger.filter((e) => e.seq > ledgerAtRotateEnd),
        refused: refusedAll.filter((r) => r.keyId !== null && serverKeys.has(r.keyId) && !r.simulated),
        secrets,
      },
    };
  } finally {
    await server.stop();
    // Put the platform back so the next Check starts from the same story: the old key works again,
    // the keys this run made (and the check's admin key) are revoked.
    await platform.restoreKey(OLD_KEY_ID, 'the check is done; the next check starts again from this key').catch(() => {});
    for (const id of [...created, admin.key.id]) await platform.revokeKey(id).catch(() => {});
  }
}

/** Ledger lines as evidence: when, what the platform answered, with which key (masked). */
export function ledgerEvidence(entries: Array<LedgerEntry | Rejection>, limit = 8): Array<{ file: string; excerpt: string }> {
  return entries.slice(0, limit).map((e) => ({
    file: 'platform ledger',
    excerpt: `${new Date(e.time).toISOString().slice(11, 23)} ${'status' in e ? `${e.status} ${e.code ?? e.reason}` : `200 ${e.model}`} with ${e.keyMasked?.replace(/\*+/, '...') ?? 'no key'}`,
  }));
}

/** "12 answered 502, 1 got no answer" */
export function failureWords(failures: Record<string, number>): string {
  return Object.entries(failures)
    .map(([status, n]) => (status === 'no answer' ? `${n} got no answer` : `${n} answered ${status}`))
    .join(', ');
}

export function refusalWords(refused: Rejection[]): string {
  const by = new Map<string, number>();
  for (const r of refused) {
    const what = `${r.status} ${r.code ?? 'error'} (${r.reason.replace(/_/g, ' ')})`;
    by.set(what, (by.get(what) ?? 0) + 1);
  }
  return [...by].map(([what, n]) => `${n} × ${what}`).join(', ');
}
