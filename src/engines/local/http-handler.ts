// The local engine's HTTP endpoints under /__engine/, for scripts/serve.mjs and `astro dev`:
//   POST /__engine/sessions                 {chapter, key?}  → 201 {id, chapter, engine, platform?}
//   POST /__engine/sessions/:id/check       {files, key}     → 200 NDJSON: platform / progress / output / report / error lines
//   POST /__engine/sessions/:id/heartbeat                    → 204 (keeps the session alive)
//   POST /__engine/sessions/:id/stop                         → 204 (ends every process and the platform: reset)
//   POST /__engine/sessions/:id/leave       (beacon allowed) → 204 (ends the session and deletes its workspace)
// Chapters with `usesPlatform` get one mock platform for the whole session (issue 5: the dashboard
// panel drives it): started at creation when the page sends the planted key, else on the first
// check, and closed on stop, leave or idle timeout. `platform` is { url, controlToken } (the
// platform's origin and its course-control token, for the panel); the learner's processes get its /v1
// as OPENAI_BASE_URL. A check with another key than the platform's starts a new one.
//   GET  /__engine/login?token=…[&next=/path]                → 303 + the sign-in cookie (one-time link)
// Who may drive the engine (docs/ARCHITECTURE.md, "Threat model"): the person who started the
// server. It prints a one-time sign-in link (only its own terminal sees it); opening it sets an
// HttpOnly, SameSite=Strict cookie holding a per-start secret (as Jupyter does), and the link is
// used up. Pages carry the engine token only for a signed-in browser, so another account that
// reaches loopback gets the course pages without it; on Linux a connection from another account
// is refused outright (guard.ts checkPeer). Every engine request needs the cookie, the per-start
// token (header X-Leakproof-Token; for leave, also {"token"} in a text/plain body, which is what
// navigator.sendBeacon can send) and passes guard.ts.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbsolute, join } from 'node:path';
import type { ExerciseDefinition } from '../../lib/exercise/define.ts';
import type { FileMap } from '../../lib/fs/types.ts';
import { ChapterNotFoundError, loadExercise } from '../../node/load-exercise.ts';
import { allowedHosts, checkPeer, checkRequest, cookieName, readCookie, tokenMatches, type GuardResult } from './guard.ts';
import { isDependencyPath, normaliseLearnerPath } from './learner-paths.ts';
import { cleanLeftovers as cleanLeftoversIn } from './leftovers.ts';
import { defaultCacheDir } from './deps.ts';
import { NodeEngine } from './node-engine.ts';
import { runLocalChecks } from './run-local.ts';
import { startExercisePlatform, type RunningPlatform } from './platform.ts';

export { setInstallNetworkEnv } from './env.ts';

/** Leftovers of a course server that crashed or was killed (workspaces, processes, stale installs). */
export function cleanLeftovers(): Promise<string[]> {
  return cleanLeftoversIn({ cacheDir: defaultCacheDir() });
}

export const PREFIX = '/__engine/';
export const TOKEN_HEADER = 'x-leakproof-token';
// Same name as src/engines/choose.ts (LOCAL_TOKEN_META) reads.
export const META_NAME = 'leakproof-engine-token';
/** Put into pages for a browser that has not signed in (src/engines/choose.ts explains it to the learner). */
export const SIGN_IN_META = 'leakproof-engine-signin';
export const LOGIN_PATH = `${PREFIX}login`;

export interface LocalEngineHandlerOptions {
  token: string;
  /** The port the page is served on (informational: the guard uses the socket's real port). */
  port?: number;
  /** Repository root (lessons are found relative to it). */
  root: string;
  /** Course folder; default LEAKPROOF_LESSONS_DIR or "lessons", relative to root. */
  lessonsDir?: string;
  /** A session with no request for this long is ended (default 2 min). */
  idleMs?: number;
  /** Most sessions at once; the least recently used is ended beyond it (default 8). */
  maxSessions?: number;
  /** Body size limit (default 10 MB). */
  maxBodyBytes?: number;
  /** Called when a sign-in link was used up (the server prints a fresh one for another browser). */
  onSignIn?: () => void;
}

interface Session {
  id: string;
  chapter: string;
  def: ExerciseDefinition;
  engine: NodeEngine | null;
  lastSeen: number;
  running: AbortController | null;
  done: Promise<unknown>;
  /** The session's mock platform (usesPlatform chapters), with the key it was seeded with. */
  platform: { key: string; running: Promise<RunningPlatform>; url: string | null } | null;
}

const KEY_RE = /^sk-[A-Za-z0-9_-]{20,}$/;

export interface LocalEngineHandler {
  handles(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Puts the token into a page; with `req`, only for a signed-in browser on this machine's own Host. */
  injectToken(html: string, req?: IncomingMessage): string;
  /** A fresh one-time sign-in address under `origin` (e.g. http://localhost:4321): print it, never serve it. */
  signInUrl(origin: string, next?: string): string;
  /** This request comes from a browser that signed in, from this account. */
  signedIn(req: IncomingMessage): boolean;
  /** Refuses a connection from another account of this machine (guard.ts). */
  checkPeer(socket: import('node:net').Socket): GuardResult;
  close(): Promise<void>;
  /** For tests: process groups alive in each session. */
  sessions(): Array<{ id: string; chapter: string; groups: number[]; root: string | null; platform: string | null }>;
}

class HttpError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `The files are larger than ${Math.round(limit / 1024 / 1024)} MB.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function insertMeta(html: string, meta: string, name: string): string {
  const existing = new RegExp(`<meta\\s+name="${name}"[^>]*>`);
  if (existing.test(html)) return html.replace(existing, meta);
  return html.includes('</head>') ? html.replace('</head>', `${meta}</head>`) : meta + html;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text || '{}');
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {}
  throw new HttpError(400, 'The body is not a JSON object.');
}

function validFiles(v: unknown): FileMap {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, '"files" must be an object of path → text.');
  const out: FileMap = {};
  for (const [k, t] of Object.entries(v)) {
    if (typeof t !== 'string') throw new HttpError(400, `"files" entry ${JSON.stringify(k)} must be text.`);
    let path: string;
    try {
      path = normaliseLearnerPath(k);
    } catch (e) {
      throw new HttpError(400, `"files": ${(e as Error).message}`);
    }
    // The project's dependencies come from its lockfile, never from the page.
    if (isDependencyPath(path)) throw new HttpError(400, `"files" path ${JSON.stringify(k)} is inside node_modules: dependencies come from package-lock.json, not from your files.`);
    if (path in out) throw new HttpError(400, `"files" has two entries for the same file ${JSON.stringify(path)}.`);
    out[path] = t;
  }
  return out;
}

export function createLocalEngineHandler(options: LocalEngineHandlerOptions): LocalEngineHandler {
  const { token } = options;
  const idleMs = options.idleMs ?? 120_000;
  const maxSessions = options.maxSessions ?? 8;
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const lessons = () => {
    const d = options.lessonsDir || process.env.LEAKPROOF_LESSONS_DIR || 'lessons';
    return isAbsolute(d) ? d : join(options.root, d);
  };
  const sessions = new Map<string, Session>();
  let closed = false;
  // The sign-in cookie's value (per start) and the one-time links not used yet.
  const cookieSecret = randomBytes(32).toString('base64url');
  const signInTokens = new Set<string>();

  function signedIn(req: IncomingMessage): boolean {
    if (!checkPeer(req.socket).ok) return false;
    return tokenMatches(cookieSecret, readCookie(req, cookieName(req.socket.localPort ?? 0)));
  }

  function signInPage(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "frame-ancestors 'none'" });
    res.end(text);
  }

  /** GET /__engine/login?token=…: a one-time link becomes the cookie, then back to the course. */
  function login(req: IncomingMessage, res: ServerResponse, url: URL): void {
    req.resume();
    const port = req.socket.localPort ?? 0;
    if (!allowedHosts(port).includes((req.headers.host ?? '').toLowerCase())) return signInPage(res, 403, 'Refused: sign in at http://localhost:' + port + '/ (this address is not the course server\'s own).');
    const peer = checkPeer(req.socket);
    if (!peer.ok) return signInPage(res, peer.status, peer.reason);
    const given = url.searchParams.get('token') ?? '';
    const match = [...signInTokens].find((t) => tokenMatches(t, given));
    if (!match) {
      return signInPage(
        res,
        403,
        'This sign-in link was already used, or it is from an earlier start of the course server.\n' +
          'Open the newest link that `npm start` printed in its terminal (each link works once; after one is used it prints a fresh one).',
      );
    }
    signInTokens.delete(match);
    const next = url.searchParams.get('next') ?? '/';
    // Only a path on this server: never an open redirect.
    const target = /^\/(?![/\\])/.test(next) ? next : '/';
    res.writeHead(303, {
      Location: target,
      'Set-Cookie': `${cookieName(port)}=${cookieSecret}; HttpOnly; SameSite=Strict; Path=/`,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    res.end();
    options.onSignIn?.();
  }

  async function end(s: Session): Promise<void> {
    sessions.delete(s.id);
    s.running?.abort();
    await s.done.catch(() => {});
    await Promise.all([s.engine?.dispose(), closePlatform(s)]);
  }

  async function closePlatform(s: Session): Promise<void> {
    const p = s.platform;
    s.platform = null;
    await p?.running.then((r) => r.close()).catch(() => {});
  }

  /** The session's platform for `key` (started now when there is none, or it holds another key). */
  async function platformFor(s: Session, key: string): Promise<RunningPlatform> {
    if (s.platform && s.platform.key !== key) await closePlatform(s);
    if (!s.platform) {
      const running = startExercisePlatform(s.def, key);
      const entry: NonNullable<Session['platform']> = { key, running, url: null };
      s.platform = entry;
      running.then(
        (p) => void (entry.url = p.url),
        () => {
          if (s.platform === entry) s.platform = null;
        },
      );
    }
    return s.platform.running;
  }

  const platformInfo = (p: RunningPlatform) => ({ url: p.url, controlToken: p.controlToken ?? '' });

  // Sessions whose page went away without saying so (closed laptop, crashed tab) end on their own.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const s of sessions.values()) if (!s.running && now - s.lastSeen > idleMs) void end(s);
  }, Math.min(15_000, Math.max(50, idleMs / 4)));
  sweep.unref();

  function send(res: ServerResponse, status: number, body?: unknown): void {
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Cross-Origin-Resource-Policy': 'same-origin', 'X-Frame-Options': 'DENY' };
    if (body === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }

  function session(id: string): Session {
    const s = sessions.get(id);
    if (!s) throw new HttpError(404, 'This exercise session has ended (it was idle, or the server restarted). Reload the page to start a new one.');
    s.lastSeen = Date.now();
    return s;
  }

  async function create(body: Record<string, unknown>, res: ServerResponse) {
    if (typeof body.chapter !== 'string' || !body.chapter) throw new HttpError(400, '"chapter" is missing.');
    let ex;
    try {
      ex = await loadExercise(body.chapter, lessons());
    } catch (e) {
      throw new HttpError(e instanceof ChapterNotFoundError ? 404 : 500, (e as Error).message);
    }
    while (sessions.size >= maxSessions) {
      const oldest = [...sessions.values()].sort((a, b) => a.lastSeen - b.lastSeen)[0]!;
      await end(oldest);
    }
    if (body.key !== undefined && (typeof body.key !== 'string' || !KEY_RE.test(body.key))) throw new HttpError(400, '"key" must be the planted key (or left out).');
    const id = randomBytes(16).toString('base64url');
    const s: Session = { id, chapter: ex.chapter, def: ex.def, engine: null, lastSeen: Date.now(), running: null, done: Promise.resolve(), platform: null };
    sessions.set(id, s);
    let platform: { url: string; controlToken: string } | undefined;
    if (ex.def.usesPlatform && typeof body.key === 'string') {
      try {
        platform = platformInfo(await platformFor(s, body.key));
      } catch (e) {
        await end(s);
        throw new HttpError(500, (e as Error).message);
      }
    }
    send(res, 201, { id, chapter: ex.chapter, engine: 'local', ...(platform ? { platform } : {}) });
  }

  async function check(s: Session, body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) {
    const files = validFiles(body.files);
    if (typeof body.key !== 'string' || !KEY_RE.test(body.key)) throw new HttpError(400, '"key" must be the planted key.');
    const key = body.key;
    // One check at a time per session: a new Check cancels the one still running.
    if (s.running) {
      s.running.abort();
      await s.done.catch(() => {});
    }
    const ac = new AbortController();
    s.running = ac;
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    const line = (o: unknown) => {
      if (!res.writableEnded) res.write(`${JSON.stringify(o)}\n`);
    };
    const work = (async () => {
      s.engine ??= await NodeEngine.create();
      const platform = s.def.usesPlatform ? await platformFor(s, key) : undefined;
      // First line: the page tells the dashboard panel where the session's platform is.
      if (platform) line({ type: 'platform', ...platformInfo(platform) });
      const report = await runLocalChecks({
        def: s.def,
        engine: s.engine,
        platform,
        key,
        files,
        signal: ac.signal,
        onProgress: (p) => line({ type: 'progress', ...p }),
        onOutput: (text, stream) => line({ type: 'output', text, stream }),
      });
      line({ type: 'report', report });
    })();
    s.done = work;
    try {
      await work;
    } catch (e) {
      line({ type: 'error', message: `The check could not run: ${(e as Error).message}` });
    } finally {
      if (s.running === ac) s.running = null;
      s.lastSeen = Date.now();
      res.end();
    }
    void req;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      throw new HttpError(400, 'The address is not a valid URL.');
    }
    if (url.pathname === LOGIN_PATH && (req.method === 'GET' || req.method === 'HEAD')) return login(req, res, url);
    const parts = url.pathname.slice(PREFIX.length).split('/').filter(Boolean);
    const isLeave = parts[0] === 'sessions' && parts[2] === 'leave';
    const g = checkRequest(req, { allowTextPlain: isLeave });
    const peer = g.ok ? checkPeer(req.socket) : g;
    if (!peer.ok) {
      req.resume();
      return send(res, peer.status, { error: peer.reason });
    }
    if (!signedIn(req)) {
      req.resume();
      return send(res, 403, { error: 'refused: this browser has not signed in to the course server. Open the address `npm start` printed in its terminal (it ends in ?token=…), then reload.' });
    }
    const headerToken = req.headers[TOKEN_HEADER];
    // Read the body only after the cheap checks; a wrong token never reaches the engine.
    if (!isLeave && !tokenMatches(token, headerToken)) {
      req.resume();
      return send(res, 403, { error: 'refused: missing or wrong engine token (reload the page)' });
    }
    const body = parseJson(await readBody(req, maxBody));
    if (isLeave && !tokenMatches(token, headerToken) && !tokenMatches(token, body.token)) {
      return send(res, 403, { error: 'refused: missing or wrong engine token (reload the page)' });
    }
    if (closed) throw new HttpError(503, 'The course server is stopping.');
    if (parts.length === 1 && parts[0] === 'sessions') return create(body, res);
    if (parts.length === 3 && parts[0] === 'sessions') {
      const s = session(parts[1]!);
      switch (parts[2]) {
        case 'check':
          return check(s, body, req, res);
        case 'heartbeat':
          return send(res, 204);
        case 'stop':
          s.running?.abort();
          await s.done.catch(() => {});
          await Promise.all([s.engine?.stopAll(), closePlatform(s)]);
          return send(res, 204);
        case 'leave':
          await end(s);
          return send(res, 204);
      }
    }
    throw new HttpError(404, `No engine endpoint ${req.method} ${url.pathname}.`);
  }

  return {
    handles: (req) => (req.url ?? '').startsWith(PREFIX),
    handle(req, res) {
      route(req, res).catch((e: unknown) => {
        const status = e instanceof HttpError ? e.status : 500;
        if (!res.headersSent) send(res, status, { error: (e as Error).message });
        else res.end();
      });
    },
    injectToken(html, req) {
      // Defence in depth against DNS rebinding: a page fetched under a foreign Host gets no token
      // (the endpoints refuse such a Host anyway).
      if (req && !allowedHosts(req.socket.localPort ?? 0).includes((req.headers.host ?? '').toLowerCase())) return html;
      // Anyone on this machine can fetch a page from loopback: the token goes only to a signed-in browser.
      if (req && !signedIn(req)) return insertMeta(html, `<meta name="${SIGN_IN_META}" content="needed">`, SIGN_IN_META);
      const meta = `<meta name="${META_NAME}" content="${escapeAttr(token)}">`;
      return insertMeta(html, meta, META_NAME);
    },
    signInUrl(origin, next) {
      const t = randomBytes(24).toString('base64url');
      signInTokens.add(t);
      return `${origin.replace(/\/$/, '')}${LOGIN_PATH}?token=${t}${next && next !== '/' ? `&next=${encodeURIComponent(next)}` : ''}`;
    },
    signedIn,
    checkPeer,
    async close() {
      closed = true;
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map(end));
    },
    sessions: () =>
      [...sessions.values()].map((s) => ({ id: s.id, chapter: s.chapter, groups: s.engine?.processGroups() ?? [], root: s.engine?.root ?? null, platform: s.platform?.url ?? null })),
  };
}
