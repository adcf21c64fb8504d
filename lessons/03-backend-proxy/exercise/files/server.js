// The app's own server: serves the built page (dist/) and the /api routes.
// Start it with `npm start`, which loads .env first. It listens on PORT (default 8787).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.env.PORT) || 8787;
const host = process.env.HOST || '127.0.0.1';
const distDir = fileURLToPath(new URL('./dist/', import.meta.url));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

async function chat(req, res) {
  // TODO: the browser still calls OpenAI itself. Move that call here.
  sendJson(res, 501, { error: 'Not implemented yet.' });
}

async function serveStatic(req, res) {
  const path = new URL(req.url, 'http://localhost').pathname;
  // normalize() + the prefix check keep requests like /../../etc/passwd inside dist/.
  const file = normalize(join(distDir, path === '/' ? 'index.html' : path));
  if (!file.startsWith(distDir)) return sendJson(res, 404, { error: 'Not found' });
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    sendJson(res, 404, { error: 'Not found. Did you run `npm run build`?' });
  }
}

function sendJson(res, status, data) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(data));
}

http
  .createServer(async (req, res) => {
    try {
      if (req.url === '/api/chat' && req.method === 'POST') return await chat(req, res);
      return await serveStatic(req, res);
    } catch (error) {
      console.error(error);
      sendJson(res, 500, { error: 'Internal error' });
    }
  })
  .listen(port, host, () => console.log(`Server on http://${host}:${port}`));
