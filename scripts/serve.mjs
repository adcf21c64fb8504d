// Serves the built course (static files) on loopback, with the cross-origin isolation headers and,
// when src/engines/local/http-handler.ts exists, the local engine under /__engine/.
// Usage: node scripts/node22.mjs node scripts/serve.mjs [--port 4321] [--dir dist] [--sign-in-file f]
//        node scripts/serve.mjs --check-port   (exits 1 with a clear message when the port is taken)
// Who may reach what (docs/ARCHITECTURE.md, "Threat model"): loopback only; pages and files for
// anyone on this account; the local engine only for a browser that opened the one-time sign-in
// link this server prints; connections from other accounts refused on Linux.
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import sirv from 'sirv';
import { scrubbedServerEnv, readNetworkEnv, NETWORK_ENV_FD } from './serve-env.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const port = Number(opt('port', process.env.PORT || 4321));
const dir = resolve(opt('dir', process.env.LEAKPROOF_OUT_DIR || join(root, 'dist')));
// Loopback only: nothing that runs learner code may be reachable from another machine.
const host = '127.0.0.1';

function portTaken(p) {
  return `Port ${p} is already in use (another \`npm start\`, or another program). Stop that one, or pick another port: PORT=${p + 1} npm start`;
}

// `npm start` asks first, so a busy port is reported before a full rebuild, not after it.
if (args.includes('--check-port')) {
  const probe = createServer();
  probe.once('error', (e) => {
    console.error(e.code === 'EADDRINUSE' ? portTaken(port) : `Cannot listen on ${host}:${port}: ${e.message}`);
    process.exit(1);
  });
  probe.listen(port, host, () => probe.close(() => process.exit(0)));
} else if (process.env.LEAKPROOF_SERVER_SCRUBBED !== '1' && process.platform !== 'win32') {
  // Learner code runs as children of this server and can read /proc/$PPID/environ. Run the server
  // itself with an environment that holds none of the user's secrets (OPENAI_API_KEY, tokens…);
  // proxy settings for dependency installs go over a pipe instead, so they stay out of it too.
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    env: scrubbedServerEnv(process.env),
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
  });
  child.stdio[NETWORK_ENV_FD].end(JSON.stringify(readNetworkEnv(process.env)));
  // Ctrl+C reaches both processes (same terminal group); a SIGTERM sent to this one is passed on.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await serve();
}

async function serve() {
  if (!existsSync(join(dir, 'index.html'))) {
    console.error(`No built course in ${dir}. Run "npm run build" first (or "npm start", which builds and serves).`);
    process.exit(2);
  }

  const headers = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    // No other site may frame the course (clickjacking of Check and Reset).
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "frame-ancestors 'none'",
  };

  const handlerFile = join(root, 'src/engines/local/http-handler.ts');
  const hasEngine = existsSync(handlerFile);
  let origin = `http://localhost:${port}`;
  const signInFile = opt('sign-in-file', process.env.LEAKPROOF_SIGN_IN_FILE);
  let engine = null;
  if (hasEngine) {
    const m = await import(pathToFileURL(handlerFile).href);
    m.setInstallNetworkEnv?.(readInheritedNetworkEnv());
    // Workspaces and half-finished installs left by a server that crashed or was killed.
    const cleaned = await m.cleanLeftovers();
    if (cleaned.length) console.log(`Removed ${cleaned.length} folder(s) left behind by an earlier run that did not stop cleanly.`);
    // A fresh token per start: only pages this server handed out to a signed-in browser know it.
    const token = randomBytes(32).toString('base64url');
    engine = m.createLocalEngineHandler({ token, port, root, onSignIn: () => announceSignIn(true) });
  }

  /** Prints a one-time sign-in link (and writes it to --sign-in-file, mode 0600, for tests). */
  function announceSignIn(again) {
    if (!engine) return;
    const url = engine.signInUrl(origin);
    if (signInFile) writeFileSync(signInFile, `${url}\n`, { mode: 0o600 });
    if (again) console.log(`A browser signed in. To open the course in another browser, use this one-time link:\n  ${url}`);
    else console.log(`Open this link to start (it signs this browser in to the local engine and works once):\n  ${url}`);
  }

  // Serve scripts, styles and the esbuild wasm gzip-compressed, as a static host would: the editor's
  // 2.7 MB core becomes ~0.7 MB to transfer. The .gz copies are made once, next to the build.
  precompress(dir);

  // `dev: true` looks every file up when it is asked for: a dist/ rebuilt while the server runs is
  // served as it is now (a file that went away is a 404, never a crash).
  const statics = sirv(dir, {
    dev: true,
    etag: true,
    gzip: true,
    extensions: ['html'],
    setHeaders: (res) => {
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    },
  });

  function precompress(folder) {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const file = join(folder, entry.name);
      if (entry.isDirectory()) precompress(file);
      else if (/\.(m?js|css|wasm|svg|json|map)$/.test(entry.name)) {
        const gz = `${file}.gz`;
        const size = statSync(file).size;
        if (size < 1024 || (existsSync(gz) && statSync(gz).mtimeMs >= statSync(file).mtimeMs)) continue;
        writeFileSync(gz, gzipSync(readFileSync(file), { level: 6 }));
      }
    }
  }

  function plain(res, status, text) {
    if (res.headersSent) return res.destroy();
    res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
  }

  /** A file inside the build folder, or null (a path that leaves it, or one that does not exist). */
  function inside(rel) {
    const full = resolve(dir, `.${rel}`);
    return full.startsWith(dir + sep) && existsSync(full) ? full : null;
  }

  function sendHtml(req, res, file, status = 200) {
    let html;
    try {
      html = readFileSync(file, 'utf8');
    } catch {
      return notFound(req, res); // removed since we looked (a rebuild)
    }
    if (engine) html = engine.injectToken(html, req);
    res.writeHead(status, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  }

  function notFound(req, res) {
    const page = inside('/404.html');
    if (page) {
      try {
        const html = readFileSync(page, 'utf8');
        res.writeHead(404, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        return res.end(engine ? engine.injectToken(html, req) : html);
      } catch {}
    }
    plain(res, 404, 'Not found');
  }

  function handle(req, res) {
    if (engine && engine.handles(req)) return engine.handle(req, res);
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return plain(res, 400, 'Bad request: the address has a malformed percent-encoding (a % must be followed by two hex digits).');
    }
    if (path.includes('\0')) return plain(res, 400, 'Bad request: the address contains a NUL character.');
    // HTML goes through sendHtml so the engine token can be embedded in the page.
    const candidates = path.endsWith('/') ? [`${path}index.html`] : [`${path}.html`, `${path}/index.html`];
    const htmlFile = candidates.map(inside).find(Boolean);
    if (htmlFile) return sendHtml(req, res, htmlFile);
    // A file stream that fails (the file went away mid-request) ends this response, not the server.
    res.once('pipe', (src) => src.once('error', () => res.destroy()));
    statics(req, res, () => notFound(req, res));
  }

  const server = createServer((req, res) => {
    // Another account on this machine may not use this server (Linux: the socket's owner).
    if (engine) {
      const peer = engine.checkPeer(req.socket);
      if (!peer.ok) return plain(res, peer.status, peer.reason.replace(/^refused: /, ''));
    }
    try {
      handle(req, res);
    } catch (e) {
      // No request may take the server down.
      console.error(`Request ${req.method} ${req.url} failed: ${e?.message ?? e}`);
      plain(res, 500, 'The course server could not answer this request.');
    }
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  server.on('error', (e) => {
    console.error(e.code === 'EADDRINUSE' ? portTaken(port) : `The course server failed: ${e.message}`);
    void engine?.close().finally(() => process.exit(1));
    if (!engine) process.exit(1);
  });

  server.listen(port, host, () => {
    const addr = server.address();
    origin = `http://localhost:${addr.port}`;
    console.log(`Leakproof is running at ${origin}/ (local engine: ${engine ? 'on' : 'off'})`);
    announceSignIn(false);
  });
  const stop = async () => {
    server.close();
    if (engine?.close) await engine.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
}

/** Proxy and registry settings the wrapper sent over the pipe (never through the environment). */
function readInheritedNetworkEnv() {
  if (process.env.LEAKPROOF_SERVER_SCRUBBED !== '1') return readNetworkEnv(process.env);
  try {
    return JSON.parse(readFileSync(NETWORK_ENV_FD, 'utf8') || '{}');
  } catch {
    return {};
  }
}
