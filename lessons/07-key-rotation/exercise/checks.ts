// Chapter 7: rotate a production server's key with zero failed requests. The first check starts the
// server, sends it steady traffic and runs `npm run rotate` with an admin key in the environment; the
// others judge what the platform and the programs showed during that one run (rotation.ts).
import { defineExercise } from '../../../src/lib/exercise/define.ts';
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import { keysInOutputs, keysInProject, type KeyVerdict } from '../../../src/lib/exercise/known-keys.ts';
import { failureWords, ledgerEvidence, observeRotation, platformSeed, POLICY_DAYS, refusalWords, type RotationRun } from './rotation.ts';

type Verdict = KeyVerdict | { status: 'skipped'; message: string };

/** Run `judge` on the rotation of this Check press; if the rotation could not run, say so. */
function fromRun(judge: (run: RotationRun, ctx: CheckContext) => Verdict | Promise<Verdict>) {
  return async (ctx: CheckContext): Promise<Verdict> => {
    const o = await observeRotation(ctx);
    if (!o.ok) return { status: o.status, message: o.status === 'skipped' ? o.message : `Not judged: the rotation did not run (${o.message.split('\n')[0]})` };
    return judge(o.run, ctx);
  };
}

const DAY_MS = 86_400_000;
// Where a key may live: ignored .env files, or an ignored key file under secrets/ (the key-file way).
const KEY_HOMES = ['.env', '.env.*', '!*example*', '!*sample*', '!*template*', 'secrets/'];
const HIDING = 'Hiding a key is not removing it: base64, hex or a reversed copy still counts as the key.';
const tail = (text: string) => text.trimEnd().split('\n').slice(-12).join('\n');

export default defineExercise({
  chapter: '07-key-rotation',
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
      // The audit reads ignored files too; the key's homes are .env files and a key file under secrets/.
      keyHomes: KEY_HOMES,
      title: 'No file git would commit holds the server\'s key',
      hint: `Keep the key only in .env (git ignores it) or another git-ignored file. ${HIDING}`,
      explain: '#hiding-a-key-is-not-removing-it',
    },
    {
      // The rotation's traffic only counts answers. This asks the server a good question and sweeps
      // bad requests and every route its code names: a key in any body or header of any answer (a
      // debug header, an error page) reaches whoever can call the server. It runs before the
      // rotation: afterwards .env holds a key the check has revoked again.
      id: 'answers-clean',
      kind: 'http-probe',
      server: { command: 'npm', args: ['start'] },
      request: { method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Still there?' }) },
      expect: { status: 200, bodyIncludes: ['"reply"'], platformCall: 'any-key' },
      keyAbsent: true,
      title: 'The server answers, and no request, good or bad, gets the key back',
      hint: `Answer with the model's reply or a short error, never the key or the SDK's error message, in the body or a header. ${HIDING}`,
      explain: '#keep-keys-out-of-logs',
    },
    {
      id: 'zero-failed-requests',
      kind: 'custom',
      needsRuntime: true,
      timeoutMs: 120_000,
      title: 'While traffic flows, `npm run rotate` switches keys and no request fails',
      hint: 'Make the server read the key on every request (an `apiKey` function), and write rotate.js in the safe order: create the new key, deploy it, wait until the platform has seen it used, and only then delete the old one.',
      explain: '#the-safe-order',
      run: async (ctx) => {
        const o = await observeRotation(ctx);
        if (!o.ok) return { status: o.status, message: o.message };
        const { rotate, traffic, refused, oldKey, ledger } = o.run;
        if (rotate.timedOut) return { status: 'fail', message: `\`npm run rotate\` did not finish within 45 s. What it printed last:\n${tail(rotate.output)}` };
        if (rotate.exitCode !== 0) return { status: 'fail', message: `\`npm run rotate\` ended with exit code ${rotate.exitCode}. What it printed last:\n${tail(rotate.output)}` };
        const problems: string[] = [];
        if (traffic.failed > 0) {
          problems.push(`${traffic.failed} of ${traffic.sent} requests failed during the rotation (${failureWords(traffic.failures)})${refused.length ? `; the platform refused ${refused.length} calls of the server: ${refusalWords(refused)}` : ''}.`);
        }
        // The audit trail decides the order, whatever the timing: was the old key revoked before
        // the platform had seen one request with a new key?
        const firstNewUse = ledger.find((e) => e.keyId !== oldKey.id)?.time ?? null;
        if (oldKey.revokedAt !== null && (firstNewUse === null || oldKey.revokedAt < firstNewUse)) {
          problems.push('The old key was revoked before the platform saw a single request with a new key: that is the order that breaks production.');
        }
        if (problems.length) return { status: 'fail', message: problems.join(' '), evidence: ledgerEvidence(refused) };
        return { status: 'pass', message: `${traffic.sent} requests during the rotation, none failed.` };
      },
    },
    {
      id: 'old-key-revoked',
      kind: 'custom',
      needsRuntime: true,
      title: 'The old key is revoked at the end',
      hint: 'As the last step of rotate.js, delete the old key: `admin.apiKeys.delete(old.id, { project_id: PROJECT_ID })`, after the new key is verified.',
      explain: '#the-safe-order',
      run: fromRun(({ oldKey }) =>
        oldKey.status === 'revoked'
          ? { status: 'pass', message: `The old key ${oldKey.redacted} was revoked (401 for anyone who still has it).` }
          : { status: 'fail', message: `The old key ${oldKey.redacted} still works after the rotation: whoever has a copy can still use it.` },
      ),
    },
    {
      id: 'new-key-serves',
      kind: 'custom',
      needsRuntime: true,
      title: 'The new key carries every request after the rotation',
      hint: 'The server must send the new key without a restart: give `new OpenAI({ apiKey })` a function that reads the current key (from .env, a key file or a value a reload signal updates).',
      explain: '#pick-up-a-new-key-without-a-restart',
      run: fromRun(({ newKeys, ledgerAfterRotate, oldKey }) => {
        if (newKeys.length === 0) return { status: 'fail', message: '`npm run rotate` created no new key on the platform.' };
        const ids = new Set(newKeys.map((k) => k.id));
        const onNew = ledgerAfterRotate.filter((e) => ids.has(e.keyId)).length;
        const onOld = ledgerAfterRotate.filter((e) => e.keyId === oldKey.id).length;
        if (onNew === 0) return { status: 'fail', message: `After \`npm run rotate\` ended, the platform saw no request with the new key${onOld ? ` (and ${onOld} with the old one)` : ''}: the server did not pick it up.` };
        if (onOld > 0) return { status: 'fail', message: `After \`npm run rotate\` ended, ${onOld} requests still used the old key (and ${onNew} the new one).`, evidence: ledgerEvidence(ledgerAfterRotate.filter((e) => e.keyId === oldKey.id)) };
        return { status: 'pass', message: `After the rotation every request (${onNew}) used the new key ${newKeys.find((k) => ledgerAfterRotate.some((e) => e.keyId === k.id))!.redacted}.` };
      }),
    },
    {
      id: 'new-key-expires',
      kind: 'custom',
      needsRuntime: true,
      title: `The new key expires within the ${POLICY_DAYS}-day policy`,
      hint: `Create the key with \`expires_in_seconds: ${POLICY_DAYS} * 24 * 60 * 60\` (or less).`,
      explain: '#expiry-and-least-privilege',
      run: fromRun(({ newKeys }) => {
        if (newKeys.length === 0) return { status: 'fail', message: '`npm run rotate` created no new key on the platform.' };
        const bad = newKeys.filter((k) => k.expiresAt === null || k.expiresAt - k.createdAt > POLICY_DAYS * DAY_MS + 60_000);
        if (bad.length) {
          const k = bad[0]!;
          return { status: 'fail', message: k.expiresAt === null ? `The new key ${k.redacted} never expires.` : `The new key ${k.redacted} lives ${Math.round((k.expiresAt - k.createdAt) / DAY_MS)} days; the policy allows ${POLICY_DAYS}.` };
        }
        const k = newKeys[0]!;
        return { status: 'pass', message: `The new key expires in ${Math.round((k.expiresAt! - k.createdAt) / DAY_MS)} days.` };
      }),
    },
    {
      id: 'new-key-restricted',
      kind: 'custom',
      needsRuntime: true,
      title: 'The new key can only make model requests (least privilege)',
      hint: "Create the key with `scopes: ['model.request']`: the server only calls chat completions, so the key needs nothing else.",
      explain: '#expiry-and-least-privilege',
      run: fromRun(({ newKeys }) => {
        if (newKeys.length === 0) return { status: 'fail', message: '`npm run rotate` created no new key on the platform.' };
        for (const k of newKeys) {
          if (k.scopes.length === 0) return { status: 'fail', message: `The new key ${k.redacted} has All permissions; the server only needs \`model.request\`.` };
          const extra = k.scopes.filter((s) => s !== 'model.request');
          if (extra.length) return { status: 'fail', message: `The new key ${k.redacted} also has ${extra.join(', ')}, which the server never uses.` };
        }
        return { status: 'pass', message: 'The new key has only `model.request`.' };
      }),
    },
    {
      id: 'output-clean',
      kind: 'custom',
      needsRuntime: true,
      title: 'Neither the rotation script nor the server prints a key',
      hint: `Print key ids or the redacted value (\`sk-…abcd\`), never \`fresh.value\`, the old key or the admin key: logs are read by many people and kept for a long time. ${HIDING}`,
      explain: '#keep-keys-out-of-logs',
      run: fromRun(({ rotate, serverOutput, secrets }) =>
        keysInOutputs(
          [{ where: 'the output of `npm run rotate`', text: rotate.output }, { where: "the server's output", text: serverOutput }],
          secrets,
          'No key, old, new or admin, in any form, in what the programs printed.',
        ),
      ),
    },
    {
      id: 'new-key-not-committed',
      kind: 'custom',
      needsRuntime: true,
      title: 'After the rotation, no project file holds the new key, except its git-ignored home',
      hint: 'Keep the key only in a git-ignored file (.env, or a key file listed in .gitignore), and the admin key only in the environment.',
      explain: '#pick-up-a-new-key-without-a-restart',
      run: fromRun(({ secrets }, ctx) => keysInProject(ctx.engine.fs, secrets, KEY_HOMES, 'After the rotation no project file holds a key, except its git-ignored home.')),
    },
  ],
});
