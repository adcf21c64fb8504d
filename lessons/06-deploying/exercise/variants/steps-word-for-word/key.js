// key.js
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let client;
let cached;
let fetchedAt = 0;

export async function getKey() {
  // Outside production, the host's environment settings are enough.
  if (process.env.OPENAI_API_KEY) return process.env.OPENAI_API_KEY;
  const secretId = process.env.OPENAI_SECRET_ID;
  if (!secretId) return undefined;
  if (cached && Date.now() - fetchedAt < 60_000) return cached;
  // No options: region, credentials and endpoint come from the environment the host gives.
  client ??= new SecretsManagerClient({});
  const secret = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  cached = secret.SecretString;
  fetchedAt = Date.now();
  return cached;
}
