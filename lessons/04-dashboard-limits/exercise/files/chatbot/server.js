// The chatbot: POST /api/chat {"message": "…"} → {"reply": "…"}, answered by a small, cheap model.
// `npm run chatbot` loads chatbot/.env first. It listens on PORT (default 8787).
import http from 'node:http';
import OpenAI from 'openai';

const port = Number(process.env.PORT) || 8787;
const host = process.env.HOST || '127.0.0.1';
// The SDK reads OPENAI_API_KEY (and OPENAI_BASE_URL, if set) from the environment.
const client = new OpenAI();

async function chat(req, res) {
  const body = await readJson(req);
  const message = typeof body?.message === 'string' ? body.message.trim() : '';
  if (!message || message.length > 2000) {
    return sendJson(res, 400, { error: 'Send JSON like {"message": "your question"} (1 to 2000 characters).' });
  }
  try {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: message }],
    });
    sendJson(res, 200, { reply: completion.choices[0].message.content });
  } catch (error) {
    // Details stay in the server log; the caller gets a short message.
    console.error('OpenAI call failed:', error.status, error.code ?? error.message);
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

function sendJson(res, status, data) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(data));
}

http
  .createServer(async (req, res) => {
    try {
      if (req.url === '/api/chat' && req.method === 'POST') return await chat(req, res);
      sendJson(res, 404, { error: 'Not found' });
    } catch (error) {
      console.error(error);
      sendJson(res, 500, { error: 'Internal error' });
    }
  })
  .listen(port, host, () => console.log(`Chatbot on http://${host}:${port}`));
