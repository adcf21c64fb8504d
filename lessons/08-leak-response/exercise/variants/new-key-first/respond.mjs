// Incident response as a script, with the official SDK's Admin API. `npm run respond` runs it with
// OPENAI_ADMIN_KEY set (the course's check does the same, against the mock platform).
// You may do the same steps in the dashboard instead; the check judges what the platform shows.
import { writeFile } from 'node:fs/promises';
import OpenAI from 'openai';

const PROJECT = 'proj_weekend';
const LEAKED = 'key_weekend_app';
const admin = new OpenAI({ adminAPIKey: process.env.OPENAI_ADMIN_KEY });

// 2. A new key for the app: a service account's, so it belongs to the app, not to a person.
const account = await admin.admin.organization.projects.serviceAccounts.create(PROJECT, { name: 'weekend-app-server' });

// 1. Revoke the leaked key, at once (skipped when it is already gone, so the script can run twice).
const keys = await admin.admin.organization.projects.apiKeys.list(PROJECT);
if (keys.data.some((k) => k.id === LEAKED)) {
  await admin.admin.organization.projects.apiKeys.delete(LEAKED, { project_id: PROJECT });
  console.log(`Revoked ${LEAKED}.`);
}

// 3. Deploy it where the app reads it (.env here; your host's secret settings in production).
await writeFile('.env', `OPENAI_API_KEY=${account.api_key.value}\n`);
console.log(`New key ${account.api_key.id} deployed to .env.`);
