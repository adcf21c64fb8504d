// Rotates the chat server's OpenAI key with the Admin API, in the safe order: create the new key,
// deploy it, verify that traffic uses it, and only then revoke the old one. Run: `npm run rotate`.
// It needs an admin key in OPENAI_ADMIN_KEY (never in a file); the SDK reads it from the environment.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseEnv } from 'node:util';
import OpenAI from 'openai';

const PROJECT_ID = 'proj_chat'; // the project "Chat server" in the dashboard
const SERVICE_ACCOUNT_ID = 'svc_acct_chat_server'; // its service account "chat-server"
const POLICY_DAYS = 90; // the team's policy: no key lives longer than this

const admin = new OpenAI().admin.organization.projects;

// The key the server uses now, from .env.
const oldKey = parseEnv(readFileSync('.env', 'utf8')).OPENAI_API_KEY;

// Find the old key's id: the Admin API shows each key's last characters.
const keys = await admin.apiKeys.list(PROJECT_ID);
const old = keys.data.find((k) => k.redacted_value.endsWith(oldKey.slice(-4)));
if (!old) throw new Error(`The key in .env is not an active key of ${PROJECT_ID}.`);

// 1. Create the new key: only the permission the server needs, and an expiry within the policy.
const fresh = await admin.serviceAccounts.apiKeys.create(SERVICE_ACCOUNT_ID, {
  project_id: PROJECT_ID,
  name: `chat-server ${new Date().toISOString().slice(0, 10)}`,
  scopes: ['model.request'],
  expires_in_seconds: POLICY_DAYS * 24 * 60 * 60,
});
console.log(`1. Created key ${fresh.id}, expiring in ${POLICY_DAYS} days.`);

// 2. Deploy it: write .env to a temporary file, then rename it over the old one. A rename is atomic,
// so the server never reads a half-written file.
writeFileSync('.env.tmp', `OPENAI_API_KEY=${fresh.value}\n`);
renameSync('.env.tmp', '.env');
console.log('2. Deployed it: .env now holds the new key.');

// 3. Verify: wait until the platform has seen a request with the new key.
for (let waited = 0; ; waited += 200) {
  const seen = await admin.apiKeys.retrieve(fresh.id, { project_id: PROJECT_ID });
  if (seen.last_used_at) break;
  if (waited >= 10_000) throw new Error('The server has not used the new key for 10 s: the old key is NOT revoked.');
  await sleep(200);
}
// Requests that read the old key just before the switch may still be on their way.
await sleep(1000);
console.log('3. Verified: the server sends the new key.');

// 4. Only now revoke the old key.
await admin.apiKeys.delete(old.id, { project_id: PROJECT_ID });
console.log(`4. Revoked the old key ${old.redacted_value}.`);
