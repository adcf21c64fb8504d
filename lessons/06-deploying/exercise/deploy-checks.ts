// Chapter 6's checks: what a deploy would do with the project. The course plays the host and the CI
// service: the values you would type into the host's environment settings and the repository's
// secrets are the variables of your (git-ignored) .env; netlify.toml and the workflow are read as
// the host and GitHub Actions read them. A "deploy" builds with the environment the host injects,
// then starts the server with its run-time environment and sends it requests.
import { parse as parseToml } from 'smol-toml';
import { parseDocument } from 'yaml';
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import type { Evidence } from '../../../src/lib/exercise/results.ts';
import type { ServerHandle } from '../../../src/lib/exercise/engine.ts';
import { leakCore } from '../../../src/lib/exercise/leak.ts';
import { summarizeFindings, toEvidence } from '../../../src/lib/exercise/checks/evidence.ts';
import { declaredRoutes, sweepRequests } from '../../../src/lib/exercise/checks/probe-requests.ts';
import { keyInWrittenFiles } from '../../../src/lib/exercise/checks/written-files.ts';
import type { CheckRunContext } from '../../../src/lib/exercise/checks/types.ts';
import { parseDotenv } from '../../../src/lib/leak/targets/docker-vars.ts';

export type Verdict = { status: 'pass' | 'fail'; message: string; evidence?: Evidence[] };

const enc = new TextEncoder();
const PUBLIC_PREFIX = /^(VITE_|NEXT_PUBLIC_|REACT_APP_)/;

interface EnvSource {
  where: string;
  vars: Record<string, string>;
}

/** The host's environment settings / repository secrets: what the learner keeps in .env. */
export function hostSettings(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(parseDotenv(files['.env'] ?? ''));
}

/** netlify.toml `[build.environment]` and `[context.<name>.environment]`. */
function netlifyEnv(files: Record<string, string>): EnvSource[] {
  const text = files['netlify.toml'];
  if (text === undefined) return [];
  let doc: Record<string, any>;
  try {
    doc = parseToml(text) as Record<string, any>;
  } catch (e) {
    throw new Error(`netlify.toml is not valid TOML (${(e as Error).message.split('\n')[0]}). Check the quotes around each value.`);
  }
  const out: EnvSource[] = [];
  const add = (where: string, env: unknown) => {
    if (env && typeof env === 'object') out.push({ where, vars: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])) });
  };
  add('netlify.toml [build.environment]', doc.build?.environment);
  for (const [name, ctx] of Object.entries(doc.context ?? {})) add(`netlify.toml [context.${name}.environment]`, (ctx as any)?.environment);
  return out;
}

/** The folder the host publishes: netlify.toml's `[build] publish`, `dist` when it names none. */
function publishDir(files: Record<string, string>): string {
  let publish: unknown;
  try {
    publish = (parseToml(files['netlify.toml'] ?? '') as Record<string, any>).build?.publish;
  } catch {
    publish = undefined; // netlifyEnv() reports the broken TOML
  }
  const dir = typeof publish === 'string' ? publish.replace(/^\.\//, '').replace(/\/+$/, '') : '';
  return dir && dir !== '.' && !dir.startsWith('/') && !dir.includes('..') ? dir : 'dist';
}

interface WorkflowStep {
  file: string;
  job: string;
  index: number;
  run?: string;
  /** workflow + job + step env, expressions not yet evaluated. */
  env: Record<string, string>;
}

function workflowFiles(files: Record<string, string>): string[] {
  return Object.keys(files).filter((p) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p));
}

function workflowSteps(files: Record<string, string>): WorkflowStep[] {
  const steps: WorkflowStep[] = [];
  const strings = (o: unknown) => (o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)])) : {});
  for (const file of workflowFiles(files)) {
    const doc = parseDocument(files[file]!);
    if (doc.errors.length) throw new Error(`${file} is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}). Check its indentation.`);
    const wf = (doc.toJS() ?? {}) as Record<string, any>;
    for (const [job, j] of Object.entries(wf.jobs ?? {})) {
      ((j as any)?.steps ?? []).forEach((s: any, index: number) => {
        const env = { ...strings(wf.env), ...strings((j as any).env), ...strings(s?.env) };
        steps.push({ file, job, index, run: typeof s?.run === 'string' ? s.run.trim() : undefined, env });
        // A local composite action (`uses: ./.github/actions/x`) runs its own steps in this job, with
        // `${{ inputs.NAME }}` taken from this step's `with:` (which may hold a secret).
        if (typeof s?.uses === 'string' && s.uses.startsWith('./')) steps.push(...compositeSteps(files, s.uses, strings(s.with), { file, job, index, env }));
      });
    }
  }
  return steps;
}

function compositeSteps(files: Record<string, string>, uses: string, inputs: Record<string, string>, outer: Omit<WorkflowStep, 'run'>): WorkflowStep[] {
  const dir = uses.replace(/^\.\//, '').replace(/\/+$/, '');
  const path = [`${dir}/action.yml`, `${dir}/action.yaml`].find((p) => files[p] !== undefined);
  if (!path) return [];
  const doc = parseDocument(files[path]!);
  if (doc.errors.length) throw new Error(`${path} is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}). Check its indentation.`);
  const action = (doc.toJS() ?? {}) as Record<string, any>;
  if (action.runs?.using !== 'composite') return [];
  const defaults = Object.fromEntries(Object.entries(action.inputs ?? {}).map(([k, v]) => [k.toLowerCase(), String((v as any)?.default ?? '')]));
  const given = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k.toLowerCase(), v]));
  const fill = (t: string) => t.replace(/\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}/gi, (_m, n: string) => given[n.toLowerCase()] ?? defaults[n.toLowerCase()] ?? '');
  return ((action.runs.steps ?? []) as any[])
    .filter((s) => typeof s?.run === 'string')
    .map((s) => ({
      file: `${outer.file} → ${path}`,
      job: outer.job,
      index: outer.index,
      run: fill(s.run).trim(),
      env: { ...outer.env, ...Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, fill(String(v))])) },
    }));
}

/**
 * `${{ … }}` expressions filled from the repository's secrets, as GitHub would resolve them for what
 * a step gets. Like GitHub, the context and the secret's name are not case-sensitive
 * (`secrets.openai_api_key` works). An expression that uses secrets in another way (`secrets.A || ''`,
 * `format('Bearer {0}', secrets.A)`, `toJSON(secrets)`) counts as giving every secret it names (all of
 * them for a bare `secrets`); `env.NAME` is the step's variable NAME (itself evaluated once).
 */
export function evaluateExpressions(value: string, secrets: Record<string, string>, env: Record<string, string> = {}): { value: string; secretsUsed: string[] } {
  const used: string[] = [];
  const byName = new Map(Object.entries(secrets).map(([k, v]) => [k.toUpperCase(), v]));
  const envByName = new Map(Object.entries(env).map(([k, v]) => [k.toUpperCase(), v]));
  const out = value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, expr: string) => {
    const parts: string[] = [];
    for (const m of expr.matchAll(/\bsecrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*'([^']+)'\s*\])/gi)) {
      const name = m[1] ?? m[2]!;
      used.push(name);
      parts.push(secrets[name] ?? byName.get(name.toUpperCase()) ?? '');
    }
    if (!parts.length && /\bsecrets\b/i.test(expr)) {
      used.push(...Object.keys(secrets));
      parts.push(JSON.stringify(secrets));
    }
    for (const m of expr.matchAll(/\benv\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*'([^']+)'\s*\])/gi)) {
      const raw = envByName.get((m[1] ?? m[2]!).toUpperCase());
      if (raw === undefined) continue;
      const inner = evaluateExpressions(raw, secrets);
      used.push(...inner.secretsUsed);
      parts.push(inner.value);
    }
    return parts.join('');
  });
  return { value: out, secretsUsed: used };
}

/** Any form of the key in `value`, compressed ones too (a base64 gzip blob) when the engine can decompress. */
async function holdsKey(ctx: CheckContext, value: string, where: string): Promise<boolean> {
  const { findKeyInBytes } = await leakCore();
  const decompress = (ctx as Partial<CheckRunContext>).decompress;
  return (await findKeyInBytes(ctx.key, enc.encode(value), { file: where, target: 'source', decompress })).length > 0;
}

/** Every variable a deploy config or .env gives, with where it comes from (evaluated). */
async function allVariables(files: Record<string, string>): Promise<Array<{ where: string; name: string; value: string }>> {
  const secrets = hostSettings(files);
  const out: Array<{ where: string; name: string; value: string }> = [];
  for (const [path, text] of Object.entries(files)) {
    if (!/(^|\/)\.env(\.[^/]*)?$/.test(path) || path.startsWith('node_modules/')) continue;
    for (const [name, value] of parseDotenv(text)) out.push({ where: path, name, value });
  }
  for (const src of netlifyEnv(files)) for (const [name, value] of Object.entries(src.vars)) out.push({ where: src.where, name, value });
  for (const step of workflowSteps(files))
    for (const [name, raw] of Object.entries(step.env)) out.push({ where: `${step.file} (job ${step.job})`, name, value: evaluateExpressions(raw, secrets, step.env).value });
  return out;
}

export async function noPublicVariable(ctx: CheckContext): Promise<Verdict> {
  const hits: Evidence[] = [];
  for (const v of await allVariables(ctx.files)) {
    if (hits.some((h) => h.file === v.where && h.excerpt === `${v.name}=…`)) continue;
    if (PUBLIC_PREFIX.test(v.name) && (await holdsKey(ctx, v.value, v.where))) hits.push({ file: v.where, excerpt: `${v.name}=…` });
  }
  if (!hits.length) return { status: 'pass', message: 'No VITE_, NEXT_PUBLIC_ or REACT_APP_ variable holds the key, in .env, netlify.toml or the workflow.' };
  return {
    status: 'fail',
    message: `${hits.map((h) => `${h.excerpt!.slice(0, -2)} in ${h.file}`).join(', ')} holds the key. A build writes the value of every public variable the page uses into the page, for every visitor.`,
    evidence: hits,
  };
}

/** A step that builds or tests: `npm test`, `npm run build`, `npm run test` (one command). */
const NPM_BUILD_TEST = /^npm (test|run (build|test))\b[^\n&|;<>$`]*$/;
/** Setup the check has already done (the dependencies are installed). */
const NPM_INSTALL = /^npm (ci|install|i)\b[^\n&|;<>$`]*$/;
/**
 * A script made only of the project's install, build and test commands: its exit code says whether
 * the app builds and tests (a deploy script may need a network or a CLI the check does not have).
 */
const npmOnly = (script: string) => script.split('\n').every((line) => !line.trim() || /^npm (ci|install|i|test|run (build|test))\b[^&|;<>$`]*$/.test(line.trim()));

export async function workflowUsesSecret(ctx: CheckContext): Promise<Verdict> {
  const steps = workflowSteps(ctx.files);
  if (!steps.length) return { status: 'fail', message: 'There is no workflow in .github/workflows/, so nothing builds and tests the app on each push. Keep deploy.yml.' };
  const secrets = hostSettings(ctx.files);
  const giving = [] as Array<{ step: WorkflowStep; name: string; secret: string }>;
  for (const step of steps) {
    for (const [name, raw] of Object.entries(step.env)) {
      const ev = evaluateExpressions(raw, secrets, step.env);
      if (ev.secretsUsed.length && (await holdsKey(ctx, ev.value, step.file))) giving.push({ step, name, secret: ev.secretsUsed[0]! });
    }
  }
  if (!giving.length)
    return {
      status: 'fail',
      message: 'No step of the workflow gets the key from the repository\'s secrets. The step that needs it (npm test) should have `env: { OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }} }`, and the repository a secret of that name (here: the OPENAI_API_KEY line of your .env).',
    };
  // Run, with the environment GitHub Actions would give them, the steps that build and test and every
  // `run:` step that gets the key (whatever its command: a debug `echo`, a script, several lines).
  // A step's log is public to everyone who can read the repository's Actions; GitHub masks only the
  // secret's exact value.
  const out: string[] = [];
  for (const step of steps) {
    if (!step.run || NPM_INSTALL.test(step.run)) continue;
    const env = Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, evaluateExpressions(v, secrets, step.env).value]));
    const script = evaluateExpressions(step.run, secrets, step.env).value;
    const getsKey = (await holdsKey(ctx, script, step.file)) || (await Promise.all(Object.values(env).map((v) => holdsKey(ctx, v, step.file)))).some(Boolean);
    const buildsOrTests = NPM_BUILD_TEST.test(step.run);
    if (!buildsOrTests && !getsKey) continue;
    // A script's background processes (`npm start &`) end with it, as the runner cleans them up at
    // the end of the job: the shell ignores the TERM it sends its own process group on exit.
    const reap = `trap 'st=$?; trap "" TERM; kill 0 2>/dev/null; exit $st' EXIT\n`;
    const [cmd, ...args] = buildsOrTests ? step.run.split(/\s+/) : ['sh', '-e', '-c', reap + script];
    const timeoutMs = buildsOrTests || npmOnly(step.run) ? 120_000 : 60_000;
    const r = await ctx.engine.run(cmd!, args, { env: { ...env, CI: 'true', GITHUB_ACTIONS: 'true' }, timeoutMs, signal: ctx.signal });
    const shown = step.run.split('\n')[0]!.slice(0, 80) + (step.run.includes('\n') ? ' …' : '');
    if (await holdsKey(ctx, r.output, `${shown} output`))
      return { status: 'fail', message: `The workflow step \`${shown}\` (job ${step.job}) prints the key. GitHub masks a secret's exact value in logs, not an encoded or partial one: never print it.` };
    // Other commands (a deploy, a curl) may need the network the check does not give: only the
    // npm steps are held to their exit code.
    if (r.exitCode !== 0 && (buildsOrTests || npmOnly(step.run)))
      return { status: 'fail', message: `The workflow step \`${shown}\` fails with the environment the workflow gives it (exit ${r.exitCode}):\n${r.output.split('\n').slice(-6).join('\n')}` };
    out.push(shown);
  }
  const g = giving[0]!;
  return { status: 'pass', message: `The workflow gives ${g.name} from \${{ secrets.${g.secret} }} (job ${g.step.job})${out.length ? `, and its steps ${out.map((s) => `\`${s}\``).join(', ')} run with it without printing it` : ''}.` };
}

// ---------- the simulated deploy ----------

interface DeployEnv {
  build: Record<string, string>;
  run: Record<string, string>;
  label: string;
}

function identityEnv(ctx: CheckContext): Record<string, string> {
  const s = ctx.secretStore;
  if (!s) return {};
  return {
    AWS_ACCESS_KEY_ID: s.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s.secretAccessKey,
    AWS_REGION: s.region,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: s.url,
    OPENAI_SECRET_ID: s.secretName,
  };
}

async function deploy(ctx: CheckContext, env: DeployEnv): Promise<{ verdict?: Verdict; server?: ServerHandle }> {
  const { auditKey } = await leakCore();
  const build = await ctx.engine.run('npm', ['run', 'build'], { env: env.build, timeoutMs: 180_000, signal: ctx.signal });
  // The host's build log is shown to everyone on the site's team (and, for some hosts and open
  // repositories, to anyone): it must not print the key either.
  if (await holdsKey(ctx, build.output, 'build log'))
    return { verdict: { status: 'fail', message: `${env.label}: the host's build (\`npm run build\`) prints the key in its log. Something in the build (vite.config.js, a plugin, a script) prints the environment or the key: remove it.` } };
  if (build.exitCode !== 0) return { verdict: { status: 'fail', message: `The host's build (\`npm run build\`) failed (exit ${build.exitCode}):\n${build.output.split('\n').slice(-8).join('\n')}` } };
  // The host publishes the folder netlify.toml names (`publish`), whatever vite.config.js calls it.
  const dir = publishDir(ctx.files);
  if (!(await ctx.engine.fs.stat(dir).catch(() => null)))
    return { verdict: { status: 'fail', message: `${env.label}: the build wrote no ${dir}/, the folder netlify.toml publishes. Give vite.config.js's build.outDir and netlify.toml's \`publish\` the same folder.` } };
  const report = await auditKey({ key: ctx.key, target: 'bundle', fs: ctx.engine.fs, dir, decompress: (ctx as Partial<CheckRunContext>).decompress });
  if (report.leak)
    return {
      verdict: {
        status: 'fail',
        message: `${env.label}: the page the host would publish (${dir}/) holds the key. ${summarizeFindings(report.findings, 'bundle')}`,
        evidence: report.findings.slice(0, 20).map(toEvidence),
      },
    };
  // Anything else the build wrote (another output folder, a generated config) ships with the deploy too.
  const written = await keyInWrittenFiles({ key: ctx.key, engine: ctx.engine, files: ctx.files, decompress: (ctx as Partial<CheckRunContext>).decompress, auditedBuildDirs: [dir] }, `${env.label}: the host's build (\`npm run build\`)`);
  if (written) return { verdict: { status: 'fail', message: written.message, evidence: written.evidence } };
  try {
    const server = await ctx.engine.startServer('npm', ['start'], { env: env.run, readyTimeoutMs: 20_000, signal: ctx.signal });
    return { server };
  } catch (e) {
    return { verdict: { status: 'fail', message: `${env.label}: the server did not start: ${(e as Error).message}` } };
  }
}

async function probe(ctx: CheckContext, server: ServerHandle, label: string): Promise<Verdict | undefined> {
  const evidence: Evidence[] = [];
  const send = async (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) => {
    const res = await ctx.engine.fetch(`${server.url}${path}`, { method, headers: init.headers, body: method === 'GET' || method === 'HEAD' ? undefined : init.body, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    const all = `${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${text}`;
    const where = `${method} ${path}`;
    if ((await holdsKey(ctx, all, where)) && !evidence.some((e) => e.file === `${where} response`)) evidence.push({ file: `${where} response` });
    return { status: res.status, text };
  };
  const json = { 'content-type': 'application/json' };
  const goodRequest = { method: 'POST', path: '/api/chat', headers: json, body: JSON.stringify({ message: 'Hello from the deployed page' }) };
  const good = await send('POST', '/api/chat', goodRequest);
  // Then what anyone can send a public server: bad requests, the key's files, every route the code
  // names (a /api/health or /api/config the page never calls is still on the internet).
  for (const r of sweepRequests(goodRequest, await declaredRoutes(ctx.engine.fs))) {
    if (ctx.signal?.aborted || evidence.length) break;
    await send(r.method ?? 'GET', r.path, r).catch(() => undefined);
  }
  if (await holdsKey(ctx, server.output(), 'server log')) evidence.push({ file: 'the server log' });
  if (evidence.length) return { status: 'fail', message: `${label}: the running app shows the key (${evidence.map((e) => e.file).join(', ')}).`, evidence };
  if (good.status !== 200 || !good.text.includes('"reply"') || !good.text.includes('(mock '))
    return { status: 'fail', message: `${label}: POST /api/chat answered ${good.status} ${good.text.slice(0, 160)}. What the server printed last:\n${server.output().trim().split('\n').slice(-6).join('\n')}` };
  return undefined;
}

/** The non-production path: the host injects its environment settings (your .env) into the build and the server. */
export async function deployWithHostEnv(ctx: CheckContext): Promise<Verdict> {
  const settings = hostSettings(ctx.files);
  const netlify = Object.assign({}, ...netlifyEnv(ctx.files).filter((s) => s.where.includes('[build.')).map((s) => s.vars));
  const label = 'Deploy with the host\'s environment settings';
  const { verdict, server } = await deploy(ctx, { build: { ...settings, ...netlify, ...identityEnv(ctx), NETLIFY: 'true' }, run: { ...settings, ...identityEnv(ctx) }, label });
  if (verdict) return verdict;
  try {
    const bad = await probe(ctx, server!, label);
    if (bad) return bad;
  } finally {
    await server!.stop().catch(() => undefined);
  }
  return { status: 'pass', message: 'The host built the page with its environment settings, the page holds no form of the key, and the server answered POST /api/chat through the platform without showing the key.' };
}

/** The production path: no key in the server's environment, only its identity and the secret's name. */
export async function deployWithSecretStore(ctx: CheckContext): Promise<Verdict> {
  if (!ctx.secretStore) return { status: 'fail', message: 'The course started no secret store for this check (an engine without one).' };
  const settings = hostSettings(ctx.files);
  // The host keeps its other settings; the key itself lives only in the secret manager.
  const nonSecret: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings)) if (!(await holdsKey(ctx, v, '.env'))) nonSecret[k] = v;
  const label = 'Deploy with the key in the secret manager only';
  const identity = identityEnv(ctx);
  const { verdict, server } = await deploy(ctx, { build: { ...nonSecret, ...identity }, run: { ...nonSecret, ...identity }, label });
  if (verdict) return verdict;
  try {
    const bad = await probe(ctx, server!, label);
    if (bad) return { ...bad, message: `${bad.message}\nThe server had no OPENAI_API_KEY here: it must read the secret named in OPENAI_SECRET_ID with GetSecretValueCommand.` };
  } finally {
    await server!.stop().catch(() => undefined);
  }
  const ledger = (await (await fetch(`${ctx.secretStore.url}/__leakproof/ledger`)).json()) as Array<{ operation: string; accessKeyId: string; outcome: string; secretId?: string }>;
  const read = ledger.find((e) => e.operation === 'GetSecretValue' && e.outcome === 'ok' && e.accessKeyId === ctx.secretStore!.accessKeyId);
  if (!read) return { status: 'fail', message: 'The server answered, but the secret store\'s ledger shows no GetSecretValue by the server\'s identity: where did it get the key?' };
  return { status: 'pass', message: `With no key in its environment, the server read "${read.secretId}" from the secret manager with its own identity (the store's ledger shows the GetSecretValue) and answered through the platform.` };
}
