// Settings for the app, read in one place.

// No fallback value: without a key the app stops and says how to fix it.
export const apiKey = process.env.OPENAI_API_KEY;
if (!apiKey) {
  console.error('OPENAI_API_KEY is not set. Copy .env.example to .env and put your key in it.');
  process.exit(1);
}

export const model = process.env.OPENAI_MODEL || 'gpt-4o-mini';
