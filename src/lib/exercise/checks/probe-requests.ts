// The requests an http-probe sends after the good one: the bad ones a real server gets every day
// (malformed JSON, an empty body, the wrong method, an unknown route, a query string, the page at /, /.env) and
// every route the project's code names. A key that comes back only in an error answer, or from a
// /api/config route the page never calls, leaks as surely as one in the good answer.
import type { ReadonlyFs } from '../../fs/types.ts';
import type { ProbeRequest } from '../define.ts';

const CODE = /\.(m?[jt]sx?|c[jt]s|html?)$/;
const SKIP_DIR = /^(node_modules|\.git|dist|build|out|coverage)$/;
/** A string literal that looks like a route: '/api/chat', "/config", `/api/key/${id}` (up to the ${). */
const ROUTE = /(["'`])(\/[A-Za-z0-9_\-.~/:]*)(?:\1|\$\{)/g;
const MAX_ROUTES = 40;
const MAX_FILE = 512 * 1024;

/** Route-like string literals in the project's code (hints for what to probe, never a verdict). */
export async function declaredRoutes(fs: ReadonlyFs): Promise<string[]> {
  const routes = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await fs.readdir(dir || '.').catch(() => [])) {
      const p = dir ? `${dir}/${e.name}` : e.name;
      if (e.kind === 'dir' && !SKIP_DIR.test(e.name)) await walk(p);
      else if (e.kind === 'file' && CODE.test(e.name)) {
        const stat = await fs.stat(p).catch(() => null);
        if (!stat || stat.size > MAX_FILE) continue;
        const text = new TextDecoder().decode(await fs.readFile(p));
        for (const m of text.matchAll(ROUTE)) {
          // Express-style parameters get a value: /api/users/:id → /api/users/1
          const route = m[2]!.replace(/:[A-Za-z_]\w*/g, '1').replace(/\/{2,}/g, '/');
          if (route.length > 1 && route.length < 120 && !route.startsWith('//')) routes.add(route);
          if (routes.size >= MAX_ROUTES) return;
        }
      }
    }
  };
  await walk('');
  return [...routes].sort();
}

/** Every request of the sweep, the good request's path first. */
export function sweepRequests(good: ProbeRequest, routes: string[]): Array<ProbeRequest & { why: string }> {
  const json = { 'content-type': 'application/json' };
  const path = good.path.split('?')[0]!;
  const out: Array<ProbeRequest & { why: string }> = [
    { method: good.method ?? 'GET', path, headers: json, body: '{"message": ', why: 'malformed JSON' },
    { method: good.method ?? 'GET', path, headers: json, body: '', why: 'an empty body' },
    { method: good.method ?? 'GET', path, headers: json, body: '{"message": {"not": "text"}}', why: 'a field of the wrong type' },
    { method: good.method ?? 'GET', path, headers: { 'content-type': 'text/plain' }, body: 'hello', why: 'a body that is not JSON' },
    { method: (good.method ?? 'GET') === 'GET' ? 'POST' : 'GET', path, why: 'the wrong method' },
    { method: 'DELETE', path, why: 'the wrong method' },
    { method: 'GET', path: `${path}?debug=1&verbose=true`, why: 'a query string' },
    { method: 'GET', path: '/leakproof-no-such-route', why: 'an unknown route' },
    // The page itself: a server that writes the key into the HTML it serves (window.__ENV__ = …).
    { method: 'GET', path: '/', why: 'the page the server serves' },
    // The key's own files: a server that serves the project folder (not only its build output)
    // hands them to anyone who asks.
    { method: 'GET', path: '/.env', why: 'the .env file (a server serving the project folder sends it)' },
    { method: 'GET', path: '/.env.local', why: 'the .env.local file (a server serving the project folder sends it)' },
  ];
  for (const route of routes) {
    out.push({ method: 'GET', path: route, why: 'a route named in the code' });
    out.push({ method: 'POST', path: route, headers: good.headers, body: good.body, why: 'a route named in the code' });
    out.push({ method: 'GET', path: `${route}${route.includes('?') ? '&' : '?'}debug=1`, why: 'a route named in the code, with ?debug=1' });
  }
  return out;
}
