// The nightly report: summarises yesterday's support tickets with a larger model and prints the
// summary. A scheduler runs it every night (`npm run report`), with nobody watching.
import OpenAI from 'openai';

const tickets = [
  'Customer cannot reset their password from the mobile app.',
  'Invoice for November shows the wrong VAT number.',
  'Feature request: export the dashboard as CSV.',
];

const client = new OpenAI();
try {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: `Summarise these support tickets in one paragraph:\n${tickets.join('\n')}` }],
  });
  console.log(`Nightly report: ${completion.choices[0].message.content}`);
} catch (error) {
  console.error('The report could not be written:', error.status, error.code ?? error.message);
  process.exit(1);
}
