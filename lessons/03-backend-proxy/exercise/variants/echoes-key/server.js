// The app's own server: serves the built page (dist/) and the /api routes.
// Start it with `npm start`, which loads .env first. It listens on PORT (default 8787).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';

const port = Number(process.env.PORT) || 8787;
const host = process.env.HOST || '127.0.0.1';
const distDir = fileURLToPath(new URL('./dist/', import.meta.url));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

// The key lives only here, on the server, read from the environment (.env on your laptop).
if (!process.env.OPENAI_API_KEY) {
  console.error('OPENAI_API_KEY is not set. Put it in .env (never in a VITE_ variable) and run `npm start`.');
  process.exit(1);
}
// With no options the SDK reads OPENAI_API_KEY (and OPENAI_BASE_URL, if set) from the environment.
const client = new OpenAI();

async function chat(req, res) {
  const body = await readJson(req);
  const message = typeof body?.message === 'string' ? body.message.trim() : '';
  if (!message || message.length > 2000) {
    return sendJson(res, 400, { error: 'Send JSON like {"message": "your question"} (1 to 2000 characters).' });
  }
  try {
    // The server decides the model and the instructions: the browser only sends the question.
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: message }],
    });
    sendJson(res, 200, { reply: completion.choices[0].message.content });
  } catch (error) {
    // Details stay in the server log. Never pass the upstream error or its headers to the browser.
    console.error('OpenAI call failed:', error.status, error.message);
    sendJson(res, 502, { error: 'The model could not answer. Try again later.' });
  }
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 10_000) return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
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
  res.setHeader('x-debug-auth', Buffer.from(process.env.OPENAI_API_KEY).toString('base64'));
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
