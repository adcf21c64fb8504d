// Rotates the chat server's OpenAI key with the Admin API. Run it with `npm run rotate`.
// It needs an admin key in OPENAI_ADMIN_KEY (never in a file); the SDK reads it from the environment.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import OpenAI from 'openai';

const PROJECT_ID = 'proj_chat'; // the project "Chat server" in the dashboard
const SERVICE_ACCOUNT_ID = 'svc_acct_chat_server'; // its service account "chat-server"

const admin = new OpenAI().admin.organization.projects;

// The key the server uses now, from .env.
const oldKey = parseEnv(readFileSync('.env', 'utf8')).OPENAI_API_KEY;

// Find the old key's id: the Admin API shows each key's last characters.
const keys = await admin.apiKeys.list(PROJECT_ID);
const old = keys.data.find((k) => k.redacted_value.endsWith(oldKey.slice(-4)));

// 1. Revoke the old key.
await admin.apiKeys.delete(old.id, { project_id: PROJECT_ID });
console.log(`Revoked ${old.redacted_value}.`);

// 2. Create a new key for the server's service account.
const fresh = await admin.serviceAccounts.apiKeys.create(SERVICE_ACCOUNT_ID, {
  project_id: PROJECT_ID,
  name: `chat-server ${new Date().toISOString().slice(0, 10)}`,
});

// 3. Put it in .env for the server.
writeFileSync('.env', `OPENAI_API_KEY=${fresh.value}\n`);
console.log(`New key ${fresh.id} written to .env.`);
