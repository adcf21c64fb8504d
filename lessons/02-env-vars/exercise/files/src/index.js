// Suggests a commit message for a change you describe:
//   node src/index.js "what you changed"
import OpenAI from 'openai';
import { apiKey, model } from './config.js';

const change = process.argv.slice(2).join(' ') || 'Update the README';
const client = new OpenAI({ apiKey });

const completion = await client.chat.completions.create({
  model,
  messages: [
    { role: 'system', content: 'You write short, imperative git commit messages.' },
    { role: 'user', content: change },
  ],
});

console.log('Suggested commit message:', completion.choices[0].message.content);
