// The local Secrets Manager stand-in for one check run: the planted key stored under the chapter's
// secret name, and one identity for the app (fresh random credentials per run, so nothing about them
// is in the repository or the learner's files).
import { randomBytes } from 'node:crypto';
import type { CheckContext } from '../../lib/exercise/define.ts';

export interface ExerciseSecretStore {
  context: NonNullable<CheckContext['secretStore']>;
  close(): Promise<void>;
}

export async function startExerciseSecretStore(secretName: string, key: string): Promise<ExerciseSecretStore> {
  const { startSecretStore } = await import('../../platform/secrets-manager.ts');
  const accessKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(20).toString('base64url');
  const store = await startSecretStore({ secrets: [{ name: secretName, value: key }], identities: [{ accessKeyId, secretAccessKey, name: "the app's deploy identity" }] });
  return { context: { url: store.url, region: store.region, accessKeyId, secretAccessKey, secretName }, close: () => store.close() };
}
