// Serves the built course (static files) on loopback, with the cross-origin isolation headers and,
// when src/engines/local/http-handler.ts exists, the local engine under /__engine/.
// Usage: node scripts/node22.mjs node scripts/serve.mjs [--port 4321] [--dir dist]
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import sirv from 'sirv';

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

if (!existsSync(join(dir, 'index.html'))) {
  console.error(`No built course in ${dir}. Run "npm run build" first (or "npm start", which builds and serves).`);
  process.exit(2);
}

const headers = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

// A fresh token per start: only pages this server handed out know it.
const token = randomBytes(32).toString('base64url');
const handlerFile = join(root, 'src/engines/local/http-handler.ts');
const engine = existsSync(handlerFile)
  ? await import(pathToFileURL(handlerFile).href).then((m) => m.createLocalEngineHandler({ token, port, root }))
  : null;

// Serve scripts, styles and the esbuild wasm gzip-compressed, as a static host would: the editor's
// 2.7 MB core becomes ~0.7 MB to transfer. The .gz copies are made once, next to the build.
precompress(dir);

const statics = sirv(dir, {
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

function sendHtml(req, res, file, status = 200) {
  let html = readFileSync(file, 'utf8');
  if (engine) html = engine.injectToken(html, req);
  res.writeHead(status, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

const server = createServer((req, res) => {
  if (engine && engine.handles(req)) return engine.handle(req, res);
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  // HTML goes through sendHtml so the engine token can be embedded in the page.
  const candidates = path.endsWith('/') ? [join(dir, path, 'index.html')] : [join(dir, `${path}.html`), join(dir, path, 'index.html')];
  const htmlFile = candidates.find((f) => f.startsWith(dir) && existsSync(f));
  if (htmlFile) return sendHtml(req, res, htmlFile);
  statics(req, res, () => {
    const notFound = join(dir, '404.html');
    if (existsSync(notFound)) return sendHtml(req, res, notFound, 404);
    res.writeHead(404, headers).end('Not found');
  });
});

server.listen(port, host, () => {
  const addr = server.address();
  console.log(`Leakproof is running at http://localhost:${addr.port}/ (local engine: ${engine ? 'on' : 'off'})`);
});
const stop = async () => {
  server.close();
  if (engine?.close) await engine.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
