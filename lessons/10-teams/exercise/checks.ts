// Chapter 10: set a team up the way the platform intends, as code (team.yaml applied by
// scripts/apply-team.mjs) or in the dashboard panel. The platform checks ask the mock platform's
// Admin API with the official SDK what is true after `npm run apply`; the review checks read the
// files GitHub reads.
import { defineExercise } from '../../../src/lib/exercise/define.ts';
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import { leakCore } from '../../../src/lib/exercise/leak.ts';
import { formWords, toEvidence } from '../../../src/lib/exercise/checks/evidence.ts';
import { wholeProjectFs } from '../../../src/lib/exercise/checks/project-files.ts';
import { PlatformClient } from '../../../src/platform/client.ts';
import { CODEOWNERS_PATHS, checklistItems, firstOf, ownersOf, prTemplates, workflows } from './review.ts';
import { DEV, DEVELOPERS, FINANCE, PROD, adminClient, all, applyTeam, attempt, isVerdict, needsPlatform, platformSeed, type Apply, type Verdict } from './team.ts';

const tail = (text: string) => text.trimEnd().split('\n').slice(-12).join('\n');

/** Judge after `npm run apply` ran (once per Check press); if it could not run, say so. */
function afterApply(judge: (ctx: CheckContext, run: Apply) => Promise<Verdict>) {
  return async (ctx: CheckContext): Promise<Verdict> => {
    const run = await applyTeam(ctx);
    if (isVerdict(run)) return run;
    return judge(ctx, run);
  };
}

export default defineExercise({
  chapter: '10-teams',
  usesPlatform: true,
  platformSeed,
  setup: [{ command: 'npm', args: ['ci', '--no-audit', '--no-fund'] }],
  // The chat export is not documentation: the solution deletes it rather than editing the chat.
  solutionDeletes: ['docs/chat-export.txt'],
  checks: [
    {
      id: 'key-not-committed',
      kind: 'no-key-in',
      target: 'source',
      title: 'The shared key is in no file of the repository (README, chat export, team.yaml…)',
      hint: 'Delete the key from README.md and remove docs/chat-export.txt (a chat export is not documentation). Hiding a key is not removing it: base64, reversed or split copies count too, and it gets revoked anyway.',
      explain: '#one-key-per-person',
    },
    {
      id: 'apply-idempotent',
      kind: 'custom',
      needsRuntime: true,
      timeoutMs: 150_000,
      title: '`npm run apply` applies team.yaml, and a second run changes nothing',
      hint: 'Fix team.yaml until `npm run apply` ends without an error; the script only changes what differs, so the second run must print "No changes". Never make the script print a key.',
      explain: '#the-team-as-code',
      run: async (ctx) => {
        const run = await applyTeam(ctx);
        if (isVerdict(run)) return run;
        if (run.first.exitCode !== 0) return { status: 'fail', message: `\`npm run apply\` ended with exit code ${run.first.exitCode}. What it printed last:\n${tail(run.first.output)}` };
        if (run.second.exitCode !== 0) return { status: 'fail', message: `The second \`npm run apply\` failed (exit code ${run.second.exitCode}): ${tail(run.second.output)}` };
        if (run.eventsBySecondRun.length) return { status: 'fail', message: `The second run changed the organization again (${run.eventsBySecondRun.slice(0, 3).join(' ')}): applying the same team.yaml twice must change nothing.` };
        // What the script printed is a CI log: no key of the platform may be in it, in any form.
        const { findKeyInBytes } = await leakCore();
        const platform = new PlatformClient(ctx.platform!);
        const bytes = new TextEncoder().encode(`${run.first.output}\n${run.second.output}`);
        for (const k of (await platform.state()).keys) {
          const value = await platform.keyValue(k.id);
          const found = await findKeyInBytes(value, bytes, { file: 'npm run apply output', target: 'source' });
          if (found.length) return { status: 'fail', message: `The script printed the key ${k.redacted} (${formWords(found[0]!.form)}). CI logs are read by many people: print a masked form only.` };
        }
        return { status: 'pass', message: `Applied (${run.first.output.trim().split('\n').pop()}); the second run: ${run.second.output.trim().split('\n').pop()}` };
      },
    },
    {
      id: 'owners-and-readers',
      kind: 'custom',
      needsRuntime: true,
      title: 'At most two Owners; everyone else is a Reader, and no Reader owns a project',
      hint: 'In team.yaml (or the panel) keep two people as `owner` and make the others `reader`; in each project give Readers `member` (they build with it) or `viewer` (they only look), never `owner`.',
      explain: '#roles-least-privilege',
      run: afterApply(async (ctx, run) => {
        const admin = await adminClient(ctx, run.adminKey);
        const users = await all(admin.users.list());
        const owners = users.filter((u) => u.role === 'owner');
        const problems: string[] = [];
        if (owners.length > 2) problems.push(`${owners.length} Owners (${owners.map((u) => u.email).join(', ')}): keep two, so one can stand in for the other.`);
        const readers = users.filter((u) => u.role !== 'owner');
        for (const projectId of [DEV, PROD]) {
          for (const pu of await all(admin.projects.users.list(projectId))) {
            if (pu.role === 'owner' && readers.some((u) => u.id === pu.id)) problems.push(`${pu.email} is a Reader of the organization but Owner of ${projectId}.`);
          }
        }
        if (problems.length) return { status: 'fail', message: problems.join(' ') };
        return { status: 'pass', message: `Owners: ${owners.map((u) => u.email).join(', ')}. Readers: ${readers.map((u) => u.email).join(', ') || 'none'}.` };
      }),
    },
    {
      id: 'reader-refused',
      kind: 'custom',
      needsRuntime: true,
      title: 'A Reader who tries to create an Admin key or a production service account is refused',
      hint: 'Only Owners may create Admin keys, and only project Owners service accounts: make the developers Readers of the organization and not Owners of proj_prod.',
      explain: '#roles-least-privilege',
      run: afterApply(async (ctx, run) => {
        const platform = new PlatformClient(ctx.platform!);
        const owner = await adminClient(ctx, run.adminKey);
        const readers = (await all(owner.users.list())).filter((u) => u.role === 'reader');
        if (readers.length === 0) return { status: 'fail', message: 'Nobody is a Reader: every person can create Admin keys and service accounts, and manage billing.' };
        const allowed: string[] = [];
        for (const reader of readers) {
          const asReader = await adminClient(ctx, await platform.session(reader.id));
          const adminKey = await attempt(() => asReader.adminAPIKeys.create({ name: 'reader attempt (course check)' }));
          const account = await attempt(() => asReader.projects.serviceAccounts.create(PROD, { name: 'reader-attempt' }));
          if (adminKey !== 'refused') allowed.push(`${reader.email} could create an Admin key (${adminKey})`);
          if (account !== 'refused') allowed.push(`${reader.email} could create a service account in ${PROD} (${account})`);
        }
        // Take back whatever an attempt created, so the organization stays as the learner made it.
        for (const k of await all(owner.adminAPIKeys.list())) if (k.name === 'reader attempt (course check)') await owner.adminAPIKeys.delete(k.id);
        for (const sa of await all(owner.projects.serviceAccounts.list(PROD))) if (sa.name === 'reader-attempt') await owner.projects.serviceAccounts.delete(sa.id, { project_id: PROD });
        if (allowed.length) return { status: 'fail', message: `${allowed.join('; ')}.` };
        return { status: 'pass', message: `Tried as ${readers.map((u) => u.email).join(', ')}: the platform refused each (401 missing_scope).` };
      }),
    },
    {
      id: 'own-key-per-developer',
      kind: 'custom',
      needsRuntime: true,
      title: 'Each developer can make their own key in proj_dev',
      hint: 'Make Cy, Dee and Eli Members of proj_dev (a Viewer cannot make keys): each person has their own key, so one leak revokes one key.',
      explain: '#one-key-per-person',
      run: afterApply(async (ctx) => {
        const platform = new PlatformClient(ctx.platform!);
        const people = await platform.people();
        const refused: string[] = [];
        for (const email of DEVELOPERS) {
          const user = people.users.find((u) => u.email === email);
          if (!user) {
            refused.push(`${email} is not in the organization`);
            continue;
          }
          try {
            const made = await platform.createOwnKey(user.id, DEV, 'own key (course check)');
            await platform.revokeKey(made.key.id);
          } catch (e) {
            refused.push(`${email} cannot (${(e as Error).message.split('.')[0]})`);
          }
        }
        if (refused.length) return { status: 'fail', message: `Not every developer can make their own key in ${DEV}: ${refused.join('; ')}.` };
        return { status: 'pass', message: `${DEVELOPERS.join(', ')} can each make their own key in ${DEV}.` };
      }),
    },
    {
      id: 'prod-uses-service-account',
      kind: 'custom',
      needsRuntime: true,
      title: "Production's key belongs to a service account, not to a person",
      hint: 'Add `service_accounts: [{ project: proj_prod, name: support-bot }]` to team.yaml, and revoke the personal key production used (key_ana_prod) in `revoke_keys`.',
      explain: '#a-service-account-per-app',
      run: afterApply(async (ctx, run) => {
        const admin = await adminClient(ctx, run.adminKey);
        const accounts = await all(admin.projects.serviceAccounts.list(PROD));
        const keys = await all(admin.projects.apiKeys.list(PROD));
        const personal = keys.filter((k) => k.owner.type !== 'service_account');
        if (accounts.length === 0) return { status: 'fail', message: `${PROD} has no service account: the deployed app still has to call OpenAI as a person.` };
        if (personal.length) return { status: 'fail', message: `${PROD} still has a person's key: ${personal.map((k) => `${k.name} (${k.id})`).join(', ')}. Revoke it once the app uses the service account's key.` };
        return { status: 'pass', message: `${PROD} runs as ${accounts.map((a) => a.name).join(', ')}; no personal key is left in it.` };
      }),
    },
    {
      id: 'shared-key-revoked',
      kind: 'custom',
      needsRuntime: true,
      title: 'The shared key is revoked (a call with it gets 401)',
      hint: 'Add the shared key\'s id (key_team_shared) to `revoke_keys` in team.yaml, or revoke it in the panel.',
      explain: '#one-key-per-person',
      run: afterApply(async (ctx) => {
        const { default: OpenAIClient } = await import('openai');
        const client = new OpenAIClient({ apiKey: ctx.key, baseURL: ctx.platformBaseUrl, maxRetries: 0 });
        const outcome = await attempt(() => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'still works?' }] }));
        if (outcome === 'refused') return { status: 'pass', message: 'A call with the shared key now gets 401 invalid_api_key.' };
        return { status: 'fail', message: `A call with the shared key was ${outcome === 'allowed' ? 'answered: the key still works for anyone who read the README or the chat' : outcome}.` };
      }),
    },
    {
      id: 'no-platform-key-in-files',
      kind: 'custom',
      needsRuntime: true,
      title: 'No key of the organization is in the repository (team.yaml, scripts, docs)',
      hint: 'team.yaml names keys by id only. A service account\'s new key goes to the host\'s secret settings, never into a file here.',
      explain: '#the-team-as-code',
      run: afterApply(async (ctx) => {
        if (!ctx.platform) return needsPlatform;
        const platform = new PlatformClient(ctx.platform);
        const { auditKey } = await leakCore();
        const view = await wholeProjectFs(ctx.engine.fs);
        for (const k of (await platform.state()).keys) {
          const report = await auditKey({ key: await platform.keyValue(k.id), target: 'source', fs: view.fs, dir: '' });
          if (report.leak) {
            const f = report.findings[0]!;
            return { status: 'fail', message: `The key ${k.redacted} (${k.name}) is in ${f.file}${f.line ? ` line ${f.line}` : ''} (${formWords(f.form)}).`, evidence: report.findings.slice(0, 5).map(toEvidence) } as Verdict;
          }
        }
        return { status: 'pass', message: 'None of the organization\'s keys is in any file of the repository.' };
      }),
    },
    {
      id: 'review-rules',
      kind: 'custom',
      title: 'A pull-request template with a secrets checklist, and CODEOWNERS for team.yaml and CI',
      hint: 'Add .github/pull_request_template.md with checklist items (`- [ ] No key in the diff`), and .github/CODEOWNERS giving /team.yaml and /.github/ to your two leads.',
      explain: '#review-before-merge',
      run: async (ctx) => {
        const problems: string[] = [];
        const templates = await prTemplates(ctx.engine.fs);
        const secretItems = templates.flatMap((t) => checklistItems(t.text)).filter((i) => /\b(secret|key|token|credential|password)s?\b/i.test(i));
        if (templates.length === 0) problems.push('No pull-request template (.github/pull_request_template.md).');
        else if (secretItems.length === 0) problems.push(`${templates[0]!.path} has no checklist item about secrets (a line such as \`- [ ] No API key in the diff\`).`);
        const codeowners = await firstOf(ctx.engine.fs, CODEOWNERS_PATHS);
        if (!codeowners) problems.push('No CODEOWNERS file (.github/CODEOWNERS).');
        else {
          for (const path of ['team.yaml', '.github/workflows/ci.yml']) {
            if (ownersOf(codeowners.text, path).length === 0) problems.push(`${codeowners.path} gives ${path} no owner, so no one has to review changes to it.`);
          }
        }
        if (problems.length) return { status: 'fail', message: problems.join(' ') };
        return { status: 'pass', message: `${templates[0]!.path} asks: ${secretItems[0]}. ${codeowners!.path} names reviewers for team.yaml and CI.` };
      },
    },
    {
      id: 'scan-on-pull-requests',
      kind: 'custom',
      title: 'CI runs a secret scan on every pull request',
      hint: 'In .github/workflows/ci.yml, add `pull_request:` under `on:` and a job that runs a secret scanner (for example `uses: gitleaks/gitleaks-action@v2`). Then make that check required in the repository\'s branch protection.',
      explain: '#review-before-merge',
      run: async (ctx) => {
        const found = await workflows(ctx.engine.fs);
        const broken = found.find((w) => w.error);
        if (broken) return { status: 'fail', message: `${broken.path} is not valid YAML: ${broken.error}` };
        const good = found.find((w) => w.onPullRequest && w.scanSteps.length);
        if (good) return { status: 'pass', message: `${good.path} runs on pull requests and scans for secrets (${good.scanSteps[0]}).` };
        const toothless = found.flatMap((w) => w.toothless.map((t) => `${w.path} ${t}`));
        if (toothless.length) return { status: 'fail', message: `A scan that cannot fail a pull request does not stop one: ${toothless.join('; ')}.` };
        const scans = found.filter((w) => w.scanSteps.length);
        if (scans.length) return { status: 'fail', message: `${scans.map((w) => w.path).join(', ')} scans for secrets, but not on every pull request (no pull_request trigger, or one limited to some paths): a leaking pull request is merged before anyone sees the scan.` };
        return { status: 'fail', message: `No workflow in .github/workflows runs a secret scanner${found.length ? ` (found ${found.map((w) => w.path).join(', ')})` : ''}.` };
      },
    },
    {
      id: 'spend-alerts-reach-both',
      kind: 'custom',
      needsRuntime: true,
      title: 'A spend alert on production reaches both finance and engineering',
      hint: `Add a spend alert for ${PROD} whose recipients are ${FINANCE} and the engineering on-call list (eng-oncall@example.com).`,
      explain: '#alerts-that-reach-people',
      run: afterApply(async (ctx, run) => {
        const admin = await adminClient(ctx, run.adminKey);
        const alerts = await all(admin.projects.spendAlerts.list(PROD));
        const engineering = (r: string) => r !== FINANCE && /@example\.com$/.test(r);
        const both = alerts.find((a) => a.notification_channel.recipients.includes(FINANCE) && a.notification_channel.recipients.some(engineering));
        if (both) return { status: 'pass', message: `At $${both.threshold_amount / 100} a month ${PROD} alerts ${both.notification_channel.recipients.join(' and ')}.` };
        if (alerts.length === 0) return { status: 'fail', message: `${PROD} has no spend alert: a runaway bill is found on the invoice.` };
        return { status: 'fail', message: `${PROD}'s spend alerts reach ${[...new Set(alerts.flatMap((a) => a.notification_channel.recipients))].join(', ') || 'nobody'}: finance and engineering both need to hear it.` };
      }),
    },
  ],
});
