// "The new key is deployed and the app works": start the app as it is deployed (`npm start`, which
// reads .env), ask it a question, and read the ledger — the call must have been made with a live key
// that is not the leaked one. Neither key may be in the answer, nor the new key in a committed file.
import type { CheckRunContext } from '../../../src/lib/exercise/checks/types.ts';
import { leakCore } from '../../../src/lib/exercise/leak.ts';
import { formWords, summarizeFindings } from '../../../src/lib/exercise/checks/evidence.ts';
import { wholeProjectFs } from '../../../src/lib/exercise/checks/project-files.ts';
import { isLoopback, keys, keyValue, ledger } from './platform-api.ts';
import { LEAKED_KEY_ID } from './scenario.ts';

const enc = new TextEncoder();

export async function newKeyDeployed(ctx: CheckRunContext): Promise<{ status: 'pass' | 'fail'; message: string }> {
  const before = (await ledger(ctx)).length;
  let server;
  try {
    server = await ctx.engine.startServer('npm', ['start'], { port: 0, readyTimeoutMs: 30_000, timeoutMs: 60_000, signal: ctx.signal });
  } catch (e) {
    return { status: 'fail', message: `The app (\`npm start\`) did not start: ${(e as Error).message}` };
  }
  try {
    const res = await ctx.engine.fetch(new URL('/api/ask', server.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Are we back up?' }),
      signal: ctx.signal,
    });
    const body = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(body);
    const headers = enc.encode([...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n'));
    const calls = (await ledger(ctx)).slice(before).filter((e) => isLoopback(e.source));
    const used = calls.at(-1);
    const { findKeyInBytes, auditKey } = await leakCore();
    const secrets = [ctx.key, ...(used ? [await keyValue(ctx, used.keyId)] : [])];
    for (const secret of secrets) {
      const found = [...(await findKeyInBytes(secret, body, { file: 'the answer', target: 'source' })), ...(await findKeyInBytes(secret, headers, { file: 'the headers', target: 'source' }))];
      if (found.length) return { status: 'fail', message: `POST /api/ask sends a key back to whoever calls it (in ${found[0]!.file}). Never put the key, or the SDK's error, in a response.` };
    }
    if (res.status !== 200 || !text.includes('(mock ')) {
      const why = used === undefined ? ' The app made no successful call to the platform: is the key in .env live?' : '';
      return { status: 'fail', message: `POST /api/ask answered ${res.status} instead of an answer from the model.${why} What the app printed last:\n${server.output().trimEnd().split('\n').slice(-6).join('\n')}` };
    }
    if (!used) return { status: 'fail', message: 'The app answered, but the platform recorded no call from it: it must ask the model through the platform (OPENAI_BASE_URL).' };
    if (used.keyId === LEAKED_KEY_ID) return { status: 'fail', message: 'The app still calls with the leaked key. Put the new key in .env (the app\'s deployment), then check again.' };
    const key = (await keys(ctx)).find((k) => k.id === used.keyId);
    if (!key || key.status !== 'active') return { status: 'fail', message: 'The app\'s key is not an active key of the project.' };
    // Every project file counts, git-ignored ones too, whoever wrote it and when (respond.mjs, the app,
    // an earlier Check press): a log, a backup or a notes file with the new key leaves with the next zip
    // of the folder, copy or `git add -f`. Only the key's ignored homes (.env) are exempt.
    const project = await wholeProjectFs(ctx.engine.fs, ctx.keyHomes);
    const report = await auditKey({ key: secrets[1]!, target: 'source', fs: project.fs, dir: '' });
    if (report.leak) {
      const committed = [];
      for (const finding of report.findings) if (!(await project.ignored(finding.file))) committed.push(finding);
      if (committed.length) return { status: 'fail', message: `The new key is in a file git would commit — the same leak again. ${summarizeFindings(committed, 'source')}` };
      const f = report.findings[0]!;
      return { status: 'fail', message: `The new key is in ${f.file}${f.line ? ` (line ${f.line})` : ''}, a git-ignored file of the project (${formWords(f.form)}). Only .env may hold it: a log, a backup or a notes file with the key leaves with the next zip of the folder, copy or \`git add -f\`.` };
    }
    return { status: 'pass', message: `The app answers with the new key (${key.redacted}); the leaked key is not used, and the new key is only in .env (ignored by git).` };
  } finally {
    await server.stop();
  }
}
