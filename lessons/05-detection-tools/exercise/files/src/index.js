// Turns a changelog line into a friendly release note: node --env-file=.env src/index.js "Fixed …"
// The SDK reads OPENAI_API_KEY (and OPENAI_BASE_URL) from the environment.
import OpenAI from 'openai';

const change = process.argv[2];
if (!change) {
  console.error('Usage: npm start -- "Fixed the crash when the cart is empty"');
  process.exit(1);
}

const client = new OpenAI();
const completion = await client.chat.completions.create({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Rewrite the change as one friendly sentence for a release note.' },
    { role: 'user', content: change },
  ],
});
console.log(completion.choices[0].message.content);
