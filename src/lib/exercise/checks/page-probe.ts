// What the built page does when a visitor uses it, without a browser: the page's own scripts (the
// real build output) run in a Node process of the engine with a small stand-in for the DOM; every
// form is submitted and every button clicked, and each `fetch` (or XMLHttpRequest) is recorded.
// The checks then judge the requests: which origin, which path, whether a key travels with them.
// A comment that says "/api/chat" sends nothing; `fetch(`${API}/chat`)` sends the right request.
import type { CheckRunContext } from './types.ts';
import { quoteCommand, tail } from './types.ts';
import { runBuild } from './no-key-in.ts';

/** The page's address in the stand-in browser: requests to it are "the app's own server". */
export const PAGE_ORIGIN = 'http://127.0.0.1:8787';

export interface PageRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

export interface PageRun {
  requests: PageRequest[];
  /** Errors the page's scripts threw (shown in messages). */
  errors: string[];
}

// Runs in the engine's Node. Kept dependency-free: a permissive DOM where any element exists.
const HARNESS = String.raw`
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const dir = process.env.LEAKPROOF_PAGE_DIR;
const ORIGIN = ${JSON.stringify(PAGE_ORIGIN)};
const QUESTION = 'What is an API key?';
const requests = [], errors = [], listeners = [];
const noop = () => {};
const record = (url, init = {}) => {
  const h = {};
  const src = init.headers instanceof Headers ? Object.fromEntries(init.headers) : init.headers || {};
  for (const [k, v] of Object.entries(src)) h[k.toLowerCase()] = String(v);
  requests.push({ url: new URL(String(url), ORIGIN + '/').href, method: (init.method || 'GET').toUpperCase(), headers: h, body: typeof init.body === 'string' ? init.body : init.body ? String(init.body) : '' });
};
const reply = () => new Response(JSON.stringify({ reply: '(mock gpt-4o-mini) hi', id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] }), { status: 200, headers: { 'content-type': 'application/json' } });
function element(tag = 'div') {
  const own = {
    tagName: tag.toUpperCase(), nodeType: 1, textContent: '', innerText: '', innerHTML: '', value: QUESTION, checked: false, disabled: false, hidden: false,
    style: {}, dataset: {}, children: [], childNodes: [],
    classList: { add: noop, remove: noop, toggle: noop, contains: () => false },
    relList: { supports: () => true },
    addEventListener(type, fn) { if (typeof fn === 'function') listeners.push({ el: proxy, type, fn }); },
    removeEventListener: noop, dispatchEvent: () => true, setAttribute: noop, removeAttribute: noop, getAttribute: () => null, hasAttribute: () => false,
    appendChild: (c) => c, append: noop, prepend: noop, replaceChildren: noop, remove: noop, insertAdjacentHTML: noop, insertAdjacentElement: (_, c) => c,
    querySelector: () => element(), querySelectorAll: () => [element()], getElementsByTagName: () => [element()], closest: () => element('form'),
    focus: noop, blur: noop, reset: noop, scrollIntoView: noop, requestSubmit() { fire(['submit'], proxy); }, submit: noop, click() { fire(['click'], proxy); },
    getBoundingClientRect: () => ({ top: 0, left: 0, width: 0, height: 0 }),
  };
  own.elements = new Proxy({}, { get: (_, p) => (typeof p === 'string' && p !== 'then' ? element('input') : undefined) });
  const proxy = new Proxy(own, {
    set(t, p, v) { if (typeof p === 'string' && p.startsWith('on') && typeof v === 'function') listeners.push({ el: proxy, type: p.slice(2), fn: v }); t[p] = v; return true; },
  });
  return proxy;
}
const event = (type, el) => ({ type, target: el, currentTarget: el, submitter: element('button'), preventDefault: noop, stopPropagation: noop, key: 'Enter', isTrusted: true });
async function fire(types, only) {
  for (const l of [...listeners]) {
    if (!types.includes(l.type) || (only && l.el !== only)) continue;
    try { await l.fn.call(l.el, event(l.type, l.el)); } catch (e) { errors.push(String(e && e.message || e)); }
  }
}
const documentElement = element('html');
globalThis.window = globalThis;
globalThis.self = globalThis;
globalThis.location = new URL(ORIGIN + '/');
globalThis.document = Object.assign(element('document'), {
  readyState: 'complete', documentElement, body: element('body'), head: element('head'), forms: [element('form')],
  createElement: (t) => element(t), createTextNode: () => element('#text'), getElementById: () => element(), currentScript: null, cookie: '',
});
globalThis.addEventListener = (type, fn) => listeners.push({ el: globalThis, type, fn });
globalThis.removeEventListener = noop;
globalThis.localStorage = globalThis.sessionStorage = { getItem: () => null, setItem: noop, removeItem: noop, clear: noop };
globalThis.MutationObserver = class { observe() {} disconnect() {} };
globalThis.FormData = class { get() { return QUESTION; } getAll() { return [QUESTION]; } has() { return true; } entries() { return [['question', QUESTION]][Symbol.iterator](); } [Symbol.iterator]() { return this.entries(); } };
globalThis.alert = noop;
globalThis.requestAnimationFrame = (f) => setTimeout(f, 0);
globalThis.fetch = async (url, init) => { record(url instanceof Request ? url.url : url, init ?? (url instanceof Request ? { method: url.method, headers: url.headers } : {})); return reply(); };
globalThis.XMLHttpRequest = class { open(m, u) { this.m = m; this.u = u; this.h = {}; } setRequestHeader(k, v) { this.h[k] = v; } send(b) { record(this.u, { method: this.m, headers: this.h, body: b }); this.status = 200; this.readyState = 4; this.responseText = '{"reply":"hi"}'; this.onload?.(); this.onreadystatechange?.(); } addEventListener(t, f) { if (t === 'load') this.onload = f; } };
process.on('unhandledRejection', (e) => errors.push(String(e && e.message || e)));
try {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc=["']([^"']+)["'][^>]*>/g)].map((m) => m[1]);
  for (const src of scripts) {
    if (/^(https?:)?\/\//.test(src)) continue;
    try { await import(pathToFileURL(join(dir, src.replace(/^\//, ''))).href); } catch (e) { errors.push(String(e && e.message || e)); }
  }
  await fire(['DOMContentLoaded', 'load']);
  await fire(['submit']);
  await fire(['click']);
  await new Promise((r) => setTimeout(r, 300));
} catch (e) { errors.push(String(e && e.message || e)); }
process.stdout.write('\n@@leakproof-page ' + JSON.stringify({ requests, errors }) + '\n');
process.exit(0);
`;

/** Build the page (once per Check, shared with the bundle checks), then run it and record its requests. */
export async function probePage(ctx: CheckRunContext, build: { command: string; args: string[]; outDir: string }): Promise<PageRun | { failed: string }> {
  const b = await runBuild(build, ctx);
  if (b.exitCode !== 0) return { failed: `The build (\`${quoteCommand(build.command, build.args)}\`) failed, so the page could not be tried. What it printed last:\n${tail(b.output)}` };
  const r = await ctx.engine.run('node', ['--input-type=module', '-e', HARNESS], { env: { LEAKPROOF_PAGE_DIR: build.outDir }, timeoutMs: Math.min(ctx.timeoutMs, 30_000), signal: ctx.signal });
  const line = r.output.split('\n').find((l) => l.startsWith('@@leakproof-page '));
  if (!line) return { failed: `The page's script could not be run to see what it requests. What it printed last:\n${tail(r.output)}` };
  return JSON.parse(line.slice('@@leakproof-page '.length)) as PageRun;
}
