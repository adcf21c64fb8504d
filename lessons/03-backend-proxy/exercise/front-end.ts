// Chapter 3's own checks. `noViteVariableHoldsKey` reads the .env files as Vite does (no runtime
// needed). The others judge behaviour: the real build of the page, run with its form submitted
// (which requests it sends, to whom, with what), and Vite's own resolved config.
import type { FileMap } from '../../../src/lib/fs/types.ts';
import type { Evidence } from '../../../src/lib/exercise/results.ts';
import { leakCore } from '../../../src/lib/exercise/leak.ts';
import type { CheckRunContext } from '../../../src/lib/exercise/checks/types.ts';
import { PAGE_ORIGIN, probePage, type PageRequest, type PageRun } from '../../../src/lib/exercise/checks/page-probe.ts';

type Verdict = { status: 'pass' | 'fail'; message: string; evidence?: Evidence[] };

const SKIP = /^(node_modules|dist)\//;
const enc = new TextEncoder();


/** Every `.env*` file (ignored or not: Vite reads them all) and the variables in it named VITE_*. */
function viteVariables(files: FileMap): Array<{ file: string; line: number; name: string; value: string }> {
  const out: Array<{ file: string; line: number; name: string; value: string }> = [];
  for (const [path, text] of Object.entries(files)) {
    if (SKIP.test(path) || !/(^|\/)\.env(\.[^/]*)?$/.test(path)) continue;
    text.split(/\r?\n/).forEach((raw, i) => {
      const m = /^\s*(?:export\s+)?(VITE_[A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(raw);
      if (m) out.push({ file: path, line: i + 1, name: m[1]!, value: m[2]! });
    });
  }
  return out;
}

export async function noViteVariableHoldsKey(files: FileMap, key: string): Promise<Verdict> {
  const { findKeyInBytes } = await leakCore();
  const evidence: Evidence[] = [];
  let first = '';
  for (const v of viteVariables(files)) {
    const found = await findKeyInBytes(key, enc.encode(v.value), { file: v.file, target: 'source' });
    if (found.length === 0) continue;
    first ||= `${v.file} line ${v.line} puts the key in ${v.name}`;
    evidence.push({ file: v.file, line: v.line, form: found[0]!.form, excerpt: `${v.name}=…` });
  }
  if (evidence.length > 0) {
    return {
      status: 'fail',
      message: `${first}. Vite writes every VITE_ variable it uses into the page, where anyone can read it.`,
      evidence,
    };
  }
  return { status: 'pass', message: 'No VITE_ variable holds the key.' };
}

// ---- behaviour: the built page, run with every form submitted (src/lib/exercise/checks/page-probe.ts)

export const BUILD = { command: 'npm', args: ['run', 'build'], outDir: 'dist' };

const runs = new WeakMap<object, Promise<PageRun | { failed: string }>>();
/** One run of the built page per Check press, shared by the checks that judge it. */
function pageRun(ctx: CheckRunContext): Promise<PageRun | { failed: string }> {
  let r = runs.get(ctx.builds);
  if (!r) runs.set(ctx.builds, (r = probePage(ctx, BUILD)));
  return r;
}

const own = (url: string) => new URL(url).origin === PAGE_ORIGIN;
const describeRequest = (r: PageRequest) => `${r.method} ${own(r.url) ? new URL(r.url).pathname : r.url}`;

/** The built JavaScript the browser runs (not source maps: comments live there, not code). */
async function builtScripts(ctx: CheckRunContext): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await ctx.engine.fs.readdir(dir).catch(() => [])) {
      const p = `${dir}/${e.name}`;
      if (e.kind === 'dir') await walk(p);
      else if (/\.(m?js|html)$/.test(e.name)) out.push([p, new TextDecoder().decode(await ctx.engine.fs.readFile(p))]);
    }
  };
  await walk(BUILD.outDir);
  return out;
}

/**
 * The page calls only its own server, sends no key, and its bundle does not carry the OpenAI SDK
 * (which a page needs only to call the platform itself: `dangerouslyAllowBrowser: true` or `!0`).
 */
export async function noBrowserSdk(ctx: CheckRunContext): Promise<Verdict> {
  const run = await pageRun(ctx);
  if ('failed' in run) return { status: 'fail', message: run.failed };
  const { findKeyInBytes } = await leakCore();
  for (const r of run.requests) {
    const found = await findKeyInBytes(ctx.key, enc.encode(JSON.stringify(r)), { file: `request ${describeRequest(r)}`, target: 'source', decompress: ctx.decompress });
    if (found.length > 0 || r.headers.authorization) {
      return { status: 'fail', message: `When a visitor asks a question, the page sends ${found.length > 0 ? 'the key' : 'an Authorization header'} with \`${describeRequest(r)}\`: everyone who opens the page can read it.` };
    }
    if (!own(r.url)) return { status: 'fail', message: `When a visitor asks a question, the page calls ${new URL(r.url).origin} itself (\`${describeRequest(r)}\`), so it needs the key. Send the question to your own server instead.` };
  }
  for (const [file, text] of await builtScripts(ctx)) {
    if (text.includes('dangerouslyAllowBrowser')) {
      return { status: 'fail', message: `The built page (${file}) still contains the OpenAI SDK: the page would call OpenAI itself, with a key. Remove the import of \`openai\` and the client from src/.`, evidence: [{ file }] };
    }
  }
  return { status: 'pass', message: 'Asked a question, the page calls only its own server and sends no key; the built page carries no OpenAI client.' };
}

/** Asked a question, the page sends it to its own server's /api/chat (however the URL is built). */
export async function callsProxyRoute(ctx: CheckRunContext): Promise<Verdict> {
  const run = await pageRun(ctx);
  if ('failed' in run) return { status: 'fail', message: run.failed };
  const hit = run.requests.find((r) => own(r.url) && new URL(r.url).pathname === '/api/chat' && r.method === 'POST');
  if (hit) return { status: 'pass', message: 'Asked a question, the page sends `POST /api/chat` to its own server.' };
  const seen = run.requests.map(describeRequest);
  const errors = run.errors.length ? ` Its script stopped with: ${run.errors[0]}` : '';
  return {
    status: 'fail',
    message: seen.length
      ? `Asked a question, the page sent ${seen.map((s) => `\`${s}\``).join(', ')}, but no \`POST /api/chat\` to its own server.${errors}`
      : `Asked a question, the page sent no request at all.${errors}`,
  };
}

// Runs in the engine: Vite's own reading of vite.config.* for `npm run dev`.
const DEV_PROXY = `import('vite').then(async (v) => { const c = await v.resolveConfig({}, 'serve', 'development'); const p = c.server.proxy || {}; process.stdout.write('@@proxy ' + JSON.stringify(Object.fromEntries(Object.entries(p).map(([k, o]) => [k, typeof o === 'string' ? o : (o && o.target ? String(o.target) : '')]))) + '\\n'); }).catch((e) => { process.stdout.write('@@error ' + String(e && e.message || e).split('\\n')[0] + '\\n'); })`;

/** `npm run dev` passes /api/chat to the app's server: Vite's resolved config has a proxy for it. */
export async function devProxyConfigured(ctx: CheckRunContext): Promise<Verdict> {
  const r = await ctx.engine.run('node', ['--input-type=module', '-e', DEV_PROXY], { timeoutMs: 30_000, signal: ctx.signal });
  const err = /@@error (.*)/.exec(r.output)?.[1];
  if (err) return { status: 'fail', message: `Vite could not read its configuration: ${err}` };
  const line = /@@proxy (.*)/.exec(r.output)?.[1];
  if (!line) return { status: 'fail', message: `Vite's configuration could not be read. What it printed:\n${r.output.slice(-400)}` };
  const proxy = JSON.parse(line) as Record<string, string>;
  const match = Object.entries(proxy).find(([k, target]) => target && (k.startsWith('^') ? new RegExp(k).test('/api/chat') : '/api/chat'.startsWith(k)));
  if (match) return { status: 'pass', message: `In development, Vite passes /api/chat to ${match[1]}.` };
  return { status: 'fail', message: 'Vite\'s configuration has no `server.proxy` entry that covers /api/chat, so `npm run dev` cannot reach the server.', evidence: [{ file: 'vite.config.js' }] };
}
