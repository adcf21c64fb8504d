// Chapter 4: contain the damage a key can do. Both apps start with one shared, all-powerful key.
// Done (by the dashboard panel or by an admin script, `npm run platform:setup`): a project per app,
// each app's .env holds its own project's key and the app still works, the chatbot's project allows
// only the cheap model, a hard spend limit and an alert on both projects, the report's key belongs to
// a service account, both keys restricted to model requests, the shared key revoked, and revoking
// the chatbot's key leaves the report working. Judged on the platform's state and by real traffic.
import { defineExercise } from '../../../src/lib/exercise/define.ts';
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import { keysInOutputs, keysInProject, type KeyVerdict } from '../../../src/lib/exercise/known-keys.ts';
import { DEFAULT_PROJECT, observeDashboard, platformSeed, SHARED_KEY_ID, type AppRun, type DashboardRun } from './observe.ts';

type Verdict = KeyVerdict | { status: 'skipped'; message: string };

function fromRun(judge: (run: DashboardRun, ctx: CheckContext) => Verdict | Promise<Verdict>) {
  return async (ctx: CheckContext): Promise<Verdict> => {
    const o = await observeDashboard(ctx);
    if (!o.ok) return { status: o.status, message: o.message };
    return judge(o.run, ctx);
  };
}

const HIDING = 'Hiding a key is not removing it: base64, hex or a reversed copy still counts as the key.';
const APPS = [['chatbot', 'the chatbot'], ['report', 'the report']] as const;

/** Why an app's key does not count as its own project's key, or null when it does. */
function ownKeyProblem(name: string, app: AppRun, other: AppRun): string | null {
  if (!app.value) return `${name}/.env has no OPENAI_API_KEY.`;
  if (!app.key) return `The key in ${name}/.env is not a key of this platform (was it copied whole?).`;
  if (app.key.id === SHARED_KEY_ID) return `${name}/.env still holds the shared key.`;
  if (app.key.status !== 'active') return `The key in ${name}/.env (${app.key.redacted}) is revoked.`;
  if (app.key.projectId === DEFAULT_PROJECT) return `The key in ${name}/.env (${app.key.redacted}) is in the Default project: give the app a project of its own.`;
  if (other.key && app.key.projectId === other.key.projectId) return `Both apps' keys are in the same project (${app.key.projectId}): each app needs its own.`;
  return null;
}

export default defineExercise({
  chapter: '04-dashboard-limits',
  usesPlatform: true,
  platformSeed,
  // The check sends traffic through the learner's server(s): CHAPTERS.md allows 15 s.
  targetCheckSeconds: 15,
  setup: [{ command: 'npm', args: ['ci', '--no-audit', '--no-fund'] }],
  checks: [
    {
      id: 'key-not-committed',
      kind: 'no-key-in',
      target: 'source',
      title: 'No project file holds the shared key, except the apps\' git-ignored .env files',
      hint: `Keys belong only in chatbot/.env and report/.env, which git ignores. ${HIDING}`,
      explain: '#hiding-a-key-is-not-removing-it',
    },
    {
      id: 'own-projects',
      kind: 'custom',
      needsRuntime: true,
      timeoutMs: 150_000,
      title: 'Each app\'s .env holds a key of its own project',
      hint: 'Create a project per app (Chatbot, Nightly report), create a key in each, and paste each into its app\'s .env: chatbot/.env and report/.env. With the admin script, it writes them for you.',
      explain: '#one-project-per-app',
      run: fromRun(({ chatbot, report }) => {
        const problems = [ownKeyProblem('chatbot', chatbot, report), ownKeyProblem('report', report, chatbot)].filter(Boolean);
        if (problems.length) return { status: 'fail', message: problems.join(' ') };
        return { status: 'pass', message: `chatbot uses ${chatbot.key!.redacted} in ${chatbot.key!.projectId}; report uses ${report.key!.redacted} in ${report.key!.projectId}.` };
      }),
    },
    {
      id: 'apps-work',
      kind: 'custom',
      needsRuntime: true,
      title: 'Both apps still work, each with its own key',
      hint: 'Run each app after the change: a 401 means the key in its .env is wrong or revoked, a 403 model_not_found means its project does not allow the model it uses (the report uses gpt-4o).',
      explain: '#one-project-per-app',
      run: fromRun(({ chatbot, report }) => {
        if (chatbot.key && chatbot.key.id === report.key?.id) return { status: 'fail', message: `Both apps work, but with one and the same key (${chatbot.key.redacted}): a leak of either app exposes both, and you cannot revoke one without stopping the other.` };
        for (const [dir, name] of APPS) {
          const app = dir === 'chatbot' ? chatbot : report;
          if (!app.worked) return { status: 'fail', message: `${name[0]!.toUpperCase()}${name.slice(1)} does not work any more: ${app.detail}.` };
          const used = new Set(app.calls.filter((c) => !c.simulated).map((c) => c.keyId));
          if (!app.key || !used.has(app.key.id) || used.size !== 1) return { status: 'fail', message: `${name[0]!.toUpperCase()}${name.slice(1)} works, but the platform saw its calls with ${[...used].join(', ') || 'no key'}, not with its own key.` };
        }
        return { status: 'pass', message: 'The chatbot answered and the report was written, each through its own key (the ledger shows which).' };
      }),
    },
    {
      id: 'chatbot-models',
      kind: 'custom',
      needsRuntime: true,
      title: 'The chatbot\'s key is refused gpt-4o (403) and allowed gpt-4o-mini',
      hint: 'In the Chatbot project, allow only gpt-4o-mini (Allowed models: untick "All models", tick gpt-4o-mini), or with the Admin API: `projects.modelPermissions.update(id, { mode: \'allow_list\', model_ids: [\'gpt-4o-mini\'] })`.',
      explain: '#allow-only-the-models-an-app-needs',
      run: fromRun(({ chatbotModels }) => {
        if (!chatbotModels) return { status: 'fail', message: 'Not judged: chatbot/.env holds no key of this platform.' };
        const { expensive, cheap } = chatbotModels;
        if (expensive.status !== 403 || expensive.code !== 'model_not_found') return { status: 'fail', message: `The chatbot's key asked for gpt-4o and got ${expensive.status}${expensive.code ? ` ${expensive.code}` : ''}; it should be refused with 403 model_not_found.` };
        if (cheap.status !== 200) return { status: 'fail', message: `The chatbot's key cannot use gpt-4o-mini, the model the chatbot needs (it got ${cheap.status}${cheap.code ? ` ${cheap.code}` : ''}).` };
        return { status: 'pass', message: 'gpt-4o: 403 model_not_found; gpt-4o-mini: 200.' };
      }),
    },
    {
      id: 'limits-and-alerts',
      kind: 'custom',
      needsRuntime: true,
      title: 'Both projects have a hard spend limit and a spend alert below it',
      hint: 'On each app\'s project set a hard spend limit (for example $20) and a spend alert below it (for example $10), with your email as the recipient.',
      explain: '#spend-alerts-and-hard-limits',
      run: fromRun(({ chatbot, report, state }) => {
        for (const [dir, name] of APPS) {
          const app = dir === 'chatbot' ? chatbot : report;
          const project = state.projects.find((p) => p.id === app.key?.projectId && p.id !== DEFAULT_PROJECT);
          if (!project) return { status: 'fail', message: `Not judged: ${name} has no project of its own yet.` };
          if (project.spendLimitUsd === null || project.spendLimitUsd <= 0) return { status: 'fail', message: `${project.name} has no hard spend limit: a leaked or runaway key could spend without end.` };
          const below = project.spendAlerts.filter((a) => a.thresholdUsd < project.spendLimitUsd!);
          if (below.length === 0) return { status: 'fail', message: `${project.name} has ${project.spendAlerts.length ? 'no spend alert below its hard limit (an alert at or above it can only tell you calls have stopped)' : 'no spend alert'}.` };
        }
        return { status: 'pass', message: 'Both projects have a hard limit and an alert that fires before it.' };
      }),
    },
    {
      id: 'report-service-account',
      kind: 'custom',
      needsRuntime: true,
      title: 'The report\'s key belongs to a service account',
      hint: 'The report runs unattended: create its key as a service-account key ("Owned by: a service account"), or with `projects.serviceAccounts.create` / `serviceAccounts.apiKeys.create`.',
      explain: '#a-service-account-for-the-unattended-script',
      run: fromRun(({ report }) =>
        report.key?.kind === 'service_account'
          ? { status: 'pass', message: `The report's key ${report.key.redacted} belongs to a service account.` }
          : { status: 'fail', message: report.key ? `The report's key ${report.key.redacted} is a person's project key: if that person leaves, the nightly job breaks.` : 'Not judged: report/.env holds no key of this platform.' },
      ),
    },
    {
      id: 'keys-restricted',
      kind: 'custom',
      needsRuntime: true,
      title: 'Both keys can only make model requests',
      hint: "Both apps only call models: create their keys with Restricted permissions and only \"Model capabilities: Request\" (`scopes: ['model.request']`).",
      explain: '#restrict-what-a-key-can-do',
      run: fromRun(({ chatbot, report }) => {
        for (const [dir, name] of APPS) {
          const key = (dir === 'chatbot' ? chatbot : report).key;
          if (!key) return { status: 'fail', message: `Not judged: ${name} holds no key of this platform.` };
          if (key.scopes.length === 0) return { status: 'fail', message: `${name[0]!.toUpperCase()}${name.slice(1)}'s key ${key.redacted} has All permissions.` };
          const extra = key.scopes.filter((s) => s !== 'model.request');
          if (extra.length || !key.scopes.includes('model.request')) return { status: 'fail', message: `${name[0]!.toUpperCase()}${name.slice(1)}'s key ${key.redacted} has ${key.scopes.join(', ')}; it needs exactly model.request.` };
        }
        return { status: 'pass', message: 'Both keys are restricted to model.request.' };
      }),
    },
    {
      id: 'shared-key-revoked',
      kind: 'custom',
      needsRuntime: true,
      title: 'The shared all-powerful key is revoked',
      hint: 'Once both apps run on their own keys, revoke the shared key in the Default project (Revoke in the key list, or `projects.apiKeys.delete`).',
      explain: '#one-project-per-app',
      run: fromRun(({ state }) => {
        const shared = state.keys.find((k) => k.id === SHARED_KEY_ID);
        return shared?.status === 'revoked'
          ? { status: 'pass', message: `The shared key ${shared.redacted} is revoked.` }
          : { status: 'fail', message: 'The shared key still works: anyone with an old copy can use it, with every permission and no limit.' };
      }),
    },
    {
      id: 'revoke-chatbot-isolated',
      kind: 'custom',
      needsRuntime: true,
      title: 'Revoking the chatbot\'s key leaves the report working',
      hint: 'The report must not depend on the chatbot\'s key: give report/.env its own key, in its own project.',
      explain: '#one-project-per-app',
      run: fromRun(({ isolation, report }) => {
        if (!isolation) return { status: 'fail', message: 'Not judged: first both apps need working keys of their own (see the checks above).' };
        if (!isolation.report.worked) return { status: 'fail', message: `With the chatbot's key revoked, the report failed too: ${isolation.report.detail}.` };
        const used = new Set(isolation.report.calls.map((c) => c.keyId));
        if (!report.key || !used.has(report.key.id)) return { status: 'fail', message: 'With the chatbot\'s key revoked, the report ran, but the platform did not see its call with its own key.' };
        return { status: 'pass', message: `The check revoked the chatbot's key: the report still ran on ${report.key.redacted}. The key was restored afterwards.` };
      }),
    },
    {
      id: 'new-keys-not-committed',
      kind: 'custom',
      needsRuntime: true,
      title: 'The apps\' new keys are only in their git-ignored .env files',
      hint: `Paste each new key only into its app's .env (git ignores it); read it with process.env.OPENAI_API_KEY. ${HIDING}`,
      explain: '#hiding-a-key-is-not-removing-it',
      run: fromRun(({ secrets }, ctx) => keysInProject(ctx.engine.fs, secrets, undefined, 'Every key is only in a git-ignored .env file.')),
    },
    {
      id: 'output-clean',
      kind: 'custom',
      needsRuntime: true,
      title: 'Nothing the apps or the admin script print holds a key',
      hint: `Print key ids or redacted values (\`sk-…abcd\`), never a key's value or the admin key. ${HIDING}`,
      explain: '#hiding-a-key-is-not-removing-it',
      run: fromRun(({ outputs, secrets }) => keysInOutputs(outputs, secrets, 'No key in any form in what the programs printed.')),
    },
  ],
});
