// `npm run build`: writes the page into dist/. If the build has a key, it asks the model once for a
// welcome line, so visitors see it without a call of their own.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import OpenAI from 'openai';

mkdirSync('dist', { recursive: true });
cpSync('public', 'dist', { recursive: true });

let welcome = 'Ask me anything.';
const apiKey = process.env.OPENAI_API_KEY;
if (apiKey) {
  const client = new OpenAI({ apiKey });
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Write a one-line welcome for a chat page.' }],
  });
  welcome = completion.choices[0].message.content;
}
writeFileSync('dist/welcome.json', JSON.stringify({ welcome }));

// Settings for the page.
writeFileSync('dist/config.js', `export const config = ${JSON.stringify({ model: 'gpt-4o-mini', apiKey })};\n`);
console.log('Built dist/');
