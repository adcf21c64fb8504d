// Incident response as a script, with the official SDK's Admin API. `npm run respond` runs it with
// OPENAI_ADMIN_KEY set (the course's check does the same, against the mock platform).
// You may do the same steps in the dashboard instead; the check judges what the platform shows.
import OpenAI from 'openai';

const PROJECT = 'proj_weekend';
const admin = new OpenAI({ adminAPIKey: process.env.OPENAI_ADMIN_KEY });

// TODO 1: revoke the leaked key, at once.
// TODO 2: create a new key for the app.
// TODO 3: deploy it: write it where the app reads it (here: .env).

const keys = await admin.admin.organization.projects.apiKeys.list(PROJECT);
for (const key of keys.data) console.log(`${key.id}  ${key.redacted_value}  ${key.name}`);
