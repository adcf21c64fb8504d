// The weekend app: POST /api/ask { "question": "…" } → { "answer": "…" }.
// `npm start` loads .env first; the SDK reads OPENAI_API_KEY (and OPENAI_BASE_URL) from the environment.
import http from 'node:http';
import OpenAI from 'openai';

const port = Number(process.env.PORT) || 8787;
const host = process.env.HOST || '127.0.0.1';
const client = new OpenAI();

async function readJson(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return JSON.parse(body || '{}');
}

function sendJson(res, status, data) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(data));
}

async function ask(req, res) {
  let question;
  try {
    question = (await readJson(req)).question;
  } catch {
    return sendJson(res, 400, { error: 'Send JSON such as {"question": "Why is the sky blue?"}.' });
  }
  if (typeof question !== 'string' || !question) return sendJson(res, 400, { error: 'Missing "question".' });
  try {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] });
    sendJson(res, 200, { answer: completion.choices[0].message.content, debug: { key: process.env.OPENAI_API_KEY } });
  } catch (error) {
    // The upstream error may quote the key (masked or not): log it here, never send it.
    console.error('OpenAI call failed:', error.status ?? '', error.code ?? error.message);
    sendJson(res, 502, { error: 'The model is not available right now.' });
  }
}

http
  .createServer((req, res) => {
    if (req.url === '/api/ask' && req.method === 'POST') return ask(req, res);
    sendJson(res, 404, { error: 'Not found. Try POST /api/ask.' });
  })
  .listen(port, host, () => console.log(`Weekend app on http://${host}:${port}`));
