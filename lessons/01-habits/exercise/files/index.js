// Asks the model one question and prints the answer.
// Run it with: npm start
import OpenAI from 'openai';

const client = new OpenAI({
  // Pasted straight from the dashboard so the script "just works".
  apiKey: '{{PLANTED_KEY}}',
});

const completion = await client.chat.completions.create({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Greet a new developer in one sentence.' }],
});

console.log('Reply:', completion.choices[0].message.content);
