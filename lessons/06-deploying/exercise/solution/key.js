// Where the server gets the OpenAI key: at run time, on the server, never from the page.
// - From the host's environment settings: OPENAI_API_KEY (Vercel, Netlify, Heroku config vars).
// - In production, from AWS Secrets Manager with the server's own cloud identity: the host gives the
//   server AWS credentials (a role) and the secret's name in OPENAI_SECRET_ID, no key at all. The
//   current version (AWSCURRENT) is read again after a minute, so a rotation reaches the server
//   without a restart.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let client;
let cached;
let fetchedAt = 0;

export async function getKey() {
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
