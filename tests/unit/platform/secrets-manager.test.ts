// The local Secrets Manager stand-in, driven by the official AWS SDK v3 client: reads by staging
// label and version, PutSecretValue and label moves as a rotation does them, AWS's errors, the
// caller's identity, and a ledger that never holds a secret's value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
  DescribeSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { startSecretStore, type RunningSecretStore } from '../../../src/platform/secrets-manager.ts';

const VALUE = 'sk-proj-' + 'x'.repeat(40) + '-test-value';
const APP = { accessKeyId: 'AKIAAPPDEPLOYROLE001', secretAccessKey: 'app-secret-access-key', name: 'the app' };
let store: RunningSecretStore;
let client: SecretsManagerClient;

const clientFor = (creds: { accessKeyId: string; secretAccessKey: string }) =>
  new SecretsManagerClient({ endpoint: store.url, region: store.region, credentials: creds, maxAttempts: 1 });

beforeAll(async () => {
  store = await startSecretStore({ secrets: [{ name: 'prod/openai', value: VALUE }], identities: [APP] });
  client = clientFor(APP);
});
afterAll(async () => {
  client?.destroy();
  await store?.close();
});

describe('secret store (AWS SDK v3 client)', () => {
  it('GetSecretValue returns AWSCURRENT by default and records who read it, not the value', async () => {
    const r = await client.send(new GetSecretValueCommand({ SecretId: 'prod/openai' }));
    expect(r.SecretString).toBe(VALUE);
    expect(r.VersionStages).toEqual(['AWSCURRENT']);
    const last = store.ledger().at(-1)!;
    expect(last).toMatchObject({ operation: 'GetSecretValue', secretId: 'prod/openai', accessKeyId: APP.accessKeyId, identity: 'the app', outcome: 'ok', versionStage: 'AWSCURRENT' });
    expect(JSON.stringify(store.ledger())).not.toContain(VALUE);
  });

  it('a rotation: PutSecretValue as AWSPENDING, then moving AWSCURRENT makes the old one AWSPREVIOUS', async () => {
    const before = await client.send(new GetSecretValueCommand({ SecretId: 'prod/openai' }));
    const put = await client.send(new PutSecretValueCommand({ SecretId: 'prod/openai', SecretString: 'new-value', VersionStages: ['AWSPENDING'] }));
    expect(put.VersionStages).toEqual(['AWSPENDING']);
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'prod/openai' }))).SecretString).toBe(VALUE);
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'prod/openai', VersionStage: 'AWSPENDING' }))).SecretString).toBe('new-value');
    await client.send(new UpdateSecretVersionStageCommand({ SecretId: 'prod/openai', VersionStage: 'AWSCURRENT', MoveToVersionId: put.VersionId, RemoveFromVersionId: before.VersionId }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'prod/openai' }))).SecretString).toBe('new-value');
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'prod/openai', VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe(VALUE);
    const versions = await client.send(new ListSecretVersionIdsCommand({ SecretId: 'prod/openai' }));
    expect(versions.Versions).toHaveLength(2);
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'prod/openai' }));
    expect(described.VersionIdsToStages?.[put.VersionId!]).toContain('AWSCURRENT');
  });

  it('PutSecretValue without stages makes the new version AWSCURRENT at once', async () => {
    await client.send(new PutSecretValueCommand({ SecretId: 'prod/openai', SecretString: VALUE }));
    const r = await client.send(new GetSecretValueCommand({ SecretId: 'prod/openai' }));
    expect(r.SecretString).toBe(VALUE);
  });

  it('answers with AWS errors the SDK understands', async () => {
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const stranger = clientFor({ accessKeyId: 'AKIASOMEONEELSE00001', secretAccessKey: 'x' });
    await expect(stranger.send(new GetSecretValueCommand({ SecretId: 'prod/openai' }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    stranger.destroy();
    expect(store.ledger().at(-1)).toMatchObject({ accessKeyId: 'AKIASOMEONEELSE00001', outcome: 'UnrecognizedClientException' });
  });

  it('the SDK finds it through AWS_ENDPOINT_URL_SECRETS_MANAGER, with no endpoint in the code', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL_SECRETS_MANAGER: store.url, AWS_REGION: store.region, AWS_ACCESS_KEY_ID: APP.accessKeyId, AWS_SECRET_ACCESS_KEY: APP.secretAccessKey });
    try {
      const fromEnv = new SecretsManagerClient({ maxAttempts: 1 });
      expect((await fromEnv.send(new GetSecretValueCommand({ SecretId: 'prod/openai' }))).SecretString).toBe(VALUE);
      fromEnv.destroy();
    } finally {
      for (const k of ['AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) if (saved[k] === undefined) delete process.env[k];
    }
  });

  it('serves the ledger over HTTP, and only on loopback', async () => {
    expect(new URL(store.url).hostname).toBe('127.0.0.1');
    const r = await fetch(`${store.url}/__leakproof/ledger`);
    const entries = (await r.json()) as unknown[];
    expect(entries.length).toBe(store.ledger().length);
  });
});
