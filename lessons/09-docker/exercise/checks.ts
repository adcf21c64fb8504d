// Chapter 9: a Dockerfile with the key in ENV and in a build ARG, `COPY . .` with no .dockerignore,
// and the key as a literal in compose.yaml. Done when no key is in the Dockerfile, the compose
// file, the build context, any layer, the image config or its history; the build step gets the key
// through a secret mount and writes none of it; and the app starts with the key given at run time.
import { defineExercise } from '../../../src/lib/exercise/define.ts';
import { buildOutputClean, buildSecretMount, contextClean, imageClean } from './docker-checks.ts';
import { composeUp } from './compose-up.ts';

const HIDING = 'Hiding a key is not removing it: base64, another file name or a build argument still counts as the key.';

export default defineExercise({
  chapter: '09-docker',
  usesPlatform: true,
  checks: [
    {
      id: 'key-not-committed',
      kind: 'no-key-in',
      target: 'source',
      // The audit reads ignored files too; the key's homes are .env files and secret files under secrets/.
      keyHomes: ['.env', '.env.*', '!*example*', '!*sample*', '!*template*', 'secrets/'],
      title: 'No file git would commit holds the key',
      hint: `Delete the key from the Dockerfile and compose.yaml; keep it only in files git ignores (.env, secrets/). ${HIDING}`,
      explain: '#where-the-key-hides-in-a-docker-project',
    },
    {
      id: 'docker-files-clean',
      kind: 'no-key-in',
      target: 'docker',
      title: 'The Dockerfile, compose.yaml and what they copy hold no key',
      hint: 'Remove `ENV OPENAI_API_KEY=…` and `ARG OPENAI_API_KEY` from the Dockerfile, the `args:` and the literal key from compose.yaml, and copy only what the app needs.',
      explain: '#env-and-arg-stay-in-the-image',
    },
    {
      id: 'context-clean',
      kind: 'custom',
      title: 'The build context holds no key (.dockerignore)',
      hint: 'Create .dockerignore with the lines `.env`, `.env.*`, `!.env.example`, `secrets`, `node_modules` and `dist`.',
      explain: '#keep-secrets-out-of-the-build-context',
      run: async (ctx) => contextClean(ctx),
    },
    {
      id: 'image-clean',
      kind: 'custom',
      title: 'No layer, config or history entry of the image holds the key',
      hint: 'With ENV, ARG and the .env copy gone, the image has nothing left. A build step must get the key only from a secret mount (next check).',
      explain: '#how-the-course-builds-your-image',
      run: async (ctx) => imageClean(ctx),
    },
    {
      id: 'build-secret-mount',
      kind: 'custom',
      title: 'The build step gets the key through a secret mount',
      hint: 'In the Dockerfile write `RUN --mount=type=secret,id=openai,env=OPENAI_API_KEY npm run build`, and in compose.yaml give the build that secret: `secrets: [openai]` under `build:`, defined at the top level with `file: ./secrets/openai_api_key.txt`.',
      explain: '#give-the-build-step-a-secret-mount',
      run: async (ctx) => buildSecretMount(ctx),
    },
    {
      id: 'build-output-clean',
      kind: 'custom',
      needsRuntime: true,
      title: 'Given the key, the build writes none of it into dist/ or any other file',
      hint: 'In build.js, take `apiKey` out of what it writes to dist/config.js: everything in dist/ is public.',
      explain: '#a-secret-mount-does-not-clean-what-the-step-writes',
      run: async (ctx) => buildOutputClean(ctx),
    },
    {
      id: 'runs-with-runtime-key',
      kind: 'custom',
      needsRuntime: true,
      title: 'The container starts with the key given at run time, and never shows it',
      hint: 'In compose.yaml give the service the key at run time: `secrets: [openai]` plus `environment: { OPENAI_API_KEY_FILE: /run/secrets/openai }` (or `env_file: .env`).',
      explain: '#give-the-container-the-key-at-run-time',
      run: async (ctx) => composeUp(ctx),
    },
  ],
});
