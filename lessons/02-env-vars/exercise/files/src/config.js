// Settings for the app, read in one place.

// The fallback means the app "works on every machine"... including the machine of anyone who
// reads this file.
export const apiKey = process.env.OPENAI_API_KEY || '{{PLANTED_KEY}}';

export const model = process.env.OPENAI_MODEL || 'gpt-4o-mini';
