// Chapter 2: a fallback key in src/config.js and no .gitignore. Done when the key lives only in an
// ignored .env-style file, every .env variant is ignored except a committed .env.example with a
// placeholder, the app takes the key from the environment (checked by swapping it), prints no key,
// and the platform's ledger shows its call.
import { defineExercise } from '../../../src/lib/exercise/define.ts';
import { envFileHoldsKey, examplePlaceholder, rootEnvFiles } from './env-file.ts';

const HIDING = 'Hiding a key is not removing it: base64, splitting it into pieces or reversing it still counts as the key.';

export default defineExercise({
  chapter: '02-env-vars',
  usesPlatform: true,
  checks: [
    {
      id: 'env-holds-key',
      kind: 'custom',
      title: '.env holds the key as OPENAI_API_KEY',
      hint: 'Create a file named .env in the project folder with one line: `OPENAI_API_KEY=` followed by the whole key (no spaces, no quotes needed). `.env.local` works too, if that is the file your program loads.',
      explain: '#put-the-key-in-a-env-file',
      run: async (ctx) => envFileHoldsKey(await rootEnvFiles(ctx.engine.fs), ctx.key),
    },
    {
      id: 'env-ignored',
      kind: 'git-ignored',
      path: '.env',
      ignored: true,
      title: 'git ignores .env',
      hint: 'Create a file named .gitignore with a line `.env` (and `node_modules/` while you are there).',
      explain: '#keep-env-out-of-git',
    },
    {
      id: 'env-local-ignored',
      kind: 'git-ignored',
      path: '.env.local',
      ignored: true,
      title: 'git ignores .env.local',
      hint: 'Add a line `.env.*` to .gitignore: it covers .env.local, .env.production and the other variants.',
      explain: '#keep-env-out-of-git',
    },
    {
      id: 'env-production-ignored',
      kind: 'git-ignored',
      path: '.env.production',
      ignored: true,
      title: 'git ignores .env.production',
      hint: 'Add a line `.env.*` to .gitignore: it covers .env.production, .env.local and the other variants.',
      explain: '#keep-env-out-of-git',
    },
    {
      id: 'example-committed',
      kind: 'git-ignored',
      path: '.env.example',
      ignored: false,
      title: 'git commits .env.example',
      hint: 'After `.env.*` in .gitignore, add a line `!.env.example`: the `!` brings the example file back.',
      explain: '#share-the-names-not-the-values',
    },
    {
      id: 'example-placeholder',
      kind: 'custom',
      title: '.env.example names the variable, with a placeholder instead of the key',
      hint: 'Create .env.example with the line `OPENAI_API_KEY=` and nothing after the = sign (or a placeholder like `your-key-here`).',
      explain: '#share-the-names-not-the-values',
      run: async (ctx) => examplePlaceholder(await rootEnvFiles(ctx.engine.fs), ctx.key),
    },
    {
      id: 'key-not-committed',
      kind: 'no-key-in',
      // Every project file, git-ignored ones too, except the ignored .env files.
      target: 'source',
      title: 'No file but the ignored .env holds the key',
      hint: `Delete the fallback key from src/config.js: \`process.env.OPENAI_API_KEY\` alone, loaded from .env. Moving the key to another file that .gitignore lists does not count. ${HIDING}`,
      explain: '#no-fallback-keys',
    },
    {
      id: 'reads-environment',
      // Behaviour: a second key in .env and OPENAI_API_KEY must be the one the platform sees.
      kind: 'key-from-env',
      command: 'npm',
      args: ['start'],
      title: 'The app takes the key from the environment',
      hint: 'In src/config.js, export `process.env.OPENAI_API_KEY` (no quotes around it, no fallback after `||`), and load .env before it is read.',
      explain: '#no-fallback-keys',
    },
    {
      id: 'still-works',
      kind: 'run',
      command: 'npm',
      args: ['start'],
      // The platform's ledger, not the printed text, proves the call; printing the key fails.
      expect: { exitCode: 0, outputIncludes: ['(mock '], platformCall: true },
      title: 'npm start loads the key and gets an answer',
      hint: 'Load .env before the key is read: call `process.loadEnvFile()` at the top of src/config.js, or set `"start": "node --env-file=.env src/index.js …"` in package.json.',
      explain: '#load-env-in-node',
    },
  ],
});
