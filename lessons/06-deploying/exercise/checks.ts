// Chapter 6: a chat page whose deploy configuration carries the key: the GitHub Actions workflow and
// netlify.toml set VITE_OPENAI_API_KEY, so the build writes the key into the page, and the page sends
// it to the server. Done when no committed file holds the key, no public (VITE_/NEXT_PUBLIC_)
// variable does, the workflow takes it from the repository's secrets, a simulated deploy with the
// host's environment serves a clean page whose API works, and (the production path) the server reads
// the key from a secret manager with its own identity.
import { defineExercise } from '../../../src/lib/exercise/define.ts';
import { deployWithHostEnv, deployWithSecretStore, noPublicVariable, workflowUsesSecret } from './deploy-checks.ts';

const HIDING = 'Hiding a key is not removing it: base64, another variable name or a comment still counts as the key.';

export default defineExercise({
  chapter: '06-deploying',
  usesPlatform: true,
  secretStore: { secretName: 'prod/openai-api-key' },
  checks: [
    {
      id: 'key-not-committed',
      kind: 'no-key-in',
      target: 'source',
      title: 'No file git would commit holds the key (workflow and netlify.toml included)',
      hint: `Delete the key from .github/workflows/deploy.yml and netlify.toml. The values go into the host's settings and the repository's secrets, never into committed files. ${HIDING}`,
      explain: '#deploy-configuration-is-committed-code',
    },
    {
      id: 'no-public-variable',
      kind: 'custom',
      title: 'No VITE_ or NEXT_PUBLIC_ variable holds the key',
      hint: 'In .env, rename VITE_OPENAI_API_KEY to OPENAI_API_KEY, and remove VITE_OPENAI_API_KEY from netlify.toml and the workflow.',
      explain: '#public-variables-end-up-in-the-page',
      run: async (ctx) => noPublicVariable(ctx),
    },
    {
      id: 'workflow-uses-secret',
      kind: 'custom',
      needsRuntime: true,
      title: 'The workflow gets the key from ${{ secrets.OPENAI_API_KEY }}',
      hint: 'In deploy.yml, remove the job\'s `env:` and give only the `npm test` step `env: OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}`.',
      explain: '#github-actions-secrets',
      run: async (ctx) => workflowUsesSecret(ctx),
    },
    {
      id: 'deploy-host-env',
      kind: 'custom',
      needsRuntime: true,
      title: 'A deploy with the host\'s environment serves a clean page whose API works',
      hint: 'In src/main.js, stop sending the key (no authorization header). In key.js, read the key on the server: `process.env.OPENAI_API_KEY`.',
      explain: '#the-server-reads-the-key-at-run-time',
      run: async (ctx) => deployWithHostEnv(ctx),
    },
    {
      id: 'deploy-secret-store',
      kind: 'custom',
      needsRuntime: true,
      required: false,
      title: 'Production path: with no key in its environment, the server reads it from the secret manager',
      hint: 'In key.js, when OPENAI_API_KEY is not set, read the secret named in OPENAI_SECRET_ID with `new SecretsManagerClient({})` and `GetSecretValueCommand`, as "Fetch the key from a secret manager" shows.',
      explain: '#fetch-the-key-from-a-secret-manager',
      run: async (ctx) => deployWithSecretStore(ctx),
    },
  ],
});
