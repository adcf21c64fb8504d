// The key comes only from AWS Secrets Manager, read with the server's own identity and cached for a
// minute (AWSCURRENT, so a rotation is followed without a restart).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const client = new SecretsManagerClient({});
let cache = { value: undefined, until: 0 };

export async function getKey() {
  if (Date.now() < cache.until) return cache.value;
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: process.env.OPENAI_SECRET_ID, VersionStage: 'AWSCURRENT' }));
  cache = { value: SecretString, until: Date.now() + 60_000 };
  return SecretString;
}
