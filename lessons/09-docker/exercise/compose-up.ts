// "The app starts with the key given at run time": what `docker compose up` would do, without an
// engine. The image is built (Leakproof's builder), its files are written to a folder that stands in
// for the container's file system, Compose's secret files go to run/secrets/ inside it, and the
// image's command starts there with the image's ENV plus what Compose gives (environment:,
// env_file:). Container paths in variables (/run/secrets/openai) are mapped into that folder.
// Not executed: RUN steps. `RUN npm ci` is stood in for by the workspace's own node_modules, which
// Node finds by walking up from the folder. The server is bound to 127.0.0.1 whatever HOST says.
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import type { Evidence } from '../../../src/lib/exercise/results.ts';
import { leakCore } from '../../../src/lib/exercise/leak.ts';
import { ImageBuildError } from '../../../src/lib/image-build/build-image.ts';
import { runtimeConfig } from '../../../src/lib/image-build/compose-runtime.ts';
import type { ServerHandle } from '../../../src/lib/exercise/engine.ts';
import { leakproofImage, readProject, type Verdict } from './docker-checks.ts';

const ROOT = '.leakproof-container';
const enc = new TextEncoder();

/** Relative path from one folder to another, both "/"-separated and relative to the workspace. */
function relative(from: string, to: string): string {
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/') || '.';
}

export async function composeUp(ctx: CheckContext): Promise<Verdict> {
  const fs = ctx.engine.fs;
  const project = await readProject(fs);
  if (!project.compose)
    return { status: 'fail', message: 'There is no compose.yaml, so nothing says how the container gets the key at run time. Create compose.yaml with a service that builds this folder and gives it the key (secrets: or env_file:).' };
  const runtime = await runtimeConfig(fs, project.compose);
  if (runtime.problems.length) return { status: 'fail', message: `docker compose up would not start: ${runtime.problems.join(' ')}` };
  let img;
  try {
    img = await leakproofImage(ctx, project);
  } catch (e) {
    if (e instanceof ImageBuildError) return { status: 'fail', message: e.message };
    throw e;
  }
  const command = [...(img.config.Entrypoint ?? []), ...(img.config.Cmd ?? [])];
  if (!command.length) return { status: 'fail', message: `The image has no CMD, so the container has nothing to start. End ${project.spec.dockerfile} with \`CMD ["node", "server.js"]\`.` };

  const workdir = `${ROOT}${img.config.WorkingDir === '/' ? '' : img.config.WorkingDir}`;
  await ctx.engine.remove(ROOT).catch(() => undefined);
  let server: ServerHandle | undefined;
  try {
    for (const [path, bytes] of img.rootfs) await ctx.engine.writeFile(`${ROOT}${path}`, bytes);
    for (const [path, bytes] of runtime.files) await ctx.engine.writeFile(`${ROOT}${path}`, bytes);
    await ctx.engine.writeFile(`${workdir}/.leakproof-keep`, '');
    const mounted = new Set([...img.rootfs.keys(), ...runtime.files.keys()]);
    const env: Record<string, string> = {};
    for (const e of img.config.Env) {
      const eq = e.indexOf('=');
      env[e.slice(0, eq)] = e.slice(eq + 1);
    }
    Object.assign(env, runtime.env);
    for (const [k, v] of Object.entries(env)) if (mounted.has(v)) env[k] = relative(workdir, `${ROOT}${v}`);
    env.HOST = '127.0.0.1';
    delete env.PORT;
    const [cmd, ...args] = command[0] === '/bin/sh' ? ['sh', ...command.slice(1)] : command;
    try {
      server = await ctx.engine.startServer(cmd, args, { cwd: workdir, env, readyTimeoutMs: 20_000, signal: ctx.signal });
    } catch (e) {
      return { status: 'fail', message: `The container's command (\`${command.join(' ')}\`) did not start a server: ${(e as Error).message}` };
    }
    return await probe(ctx, server);
  } finally {
    await server?.stop().catch(() => undefined);
    await ctx.engine.remove(ROOT).catch(() => undefined);
  }
}

async function probe(ctx: CheckContext, server: ServerHandle): Promise<Verdict> {
  const { findKeyInBytes } = await leakCore();
  const evidence: Evidence[] = [];
  const leaks = async (what: string, text: string) => {
    const found = await findKeyInBytes(ctx.key, enc.encode(text), { file: what, target: 'source' });
    evidence.push(...found.map((f) => ({ file: what, form: f.form, excerpt: f.excerpt })));
    return found.length > 0;
  };
  const send = async (method: string, body?: string) => {
    const res = await ctx.engine.fetch(`${server.url}/api/chat`, { method, headers: { 'content-type': 'application/json' }, body });
    const text = await res.text();
    const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
    return { status: res.status, text, leaked: await leaks(`${method} /api/chat response`, `${headers}\n${text}`) };
  };
  const good = await send('POST', JSON.stringify({ message: 'Hello from the container' }));
  const bad = await send('POST', '{not json');
  const wrong = await send('GET');
  const log = server.output();
  const logLeak = await leaks('the container log', log);
  if (good.leaked || bad.leaked || wrong.leaked || logLeak)
    return { status: 'fail', message: `The running container shows the key ${logLeak ? 'in its log' : 'in a response'}. Never print or send it.`, evidence };
  if (good.status !== 200 || !good.text.includes('"reply"') || !good.text.includes('(mock ')) {
    const why = /No key/.test(log)
      ? 'The server found no key: the container got neither OPENAI_API_KEY nor OPENAI_API_KEY_FILE.'
      : good.status === 502
        ? 'The server had a key, but the platform refused it (a wrong or empty key?).'
        : `POST /api/chat answered ${good.status}.`;
    return { status: 'fail', message: `${why} What it printed last:\n${log.trim().split('\n').slice(-6).join('\n')}` };
  }
  return {
    status: 'pass',
    message: `The container started with the key given at run time and POST /api/chat answered through the platform; bad requests (malformed JSON ${bad.status}, GET ${wrong.status}) and the log never show the key. Started the way docker compose up would, without an engine: the image's files and command, Compose's environment, env_file and secret files.`,
  };
}
