// Chapter 1: the key is pasted into index.js. Done when no project file but the ignored .env holds
// the key in any form, the script takes its key from the environment (checked by swapping the key,
// not by reading the code), prints no key, and the platform's ledger shows its call.
import { defineExercise } from '../../../src/lib/exercise/define.ts';

const HIDING = 'Hiding a key is not removing it: base64, splitting it into pieces or reversing it still counts as the key.';

export default defineExercise({
  chapter: '01-habits',
  usesPlatform: true,
  checks: [
    {
      id: 'key-not-committed',
      kind: 'no-key-in',
      // Every project file, git-ignored ones too, except the ignored .env (or .env.local …).
      target: 'source',
      title: 'No file but the ignored .env holds the key',
      hint: `Cut the key out of index.js and paste it into a new file named .env as \`OPENAI_API_KEY=sk-proj-…\`. Moving it to another file that .gitignore lists does not count: that file is still part of your program. ${HIDING}`,
      explain: '#read-the-key-from-the-environment',
    },
    {
      id: 'env-ignored',
      kind: 'git-ignored',
      path: '.env',
      ignored: true,
      title: 'git ignores .env',
      hint: 'Add a line with `.env` to .gitignore, so the file that holds the key is never committed.',
      explain: '#keep-the-env-file-out-of-git',
    },
    {
      id: 'reads-environment',
      // Behaviour, not text: the check puts a second key in .env and OPENAI_API_KEY and wants the
      // platform to see that one. Any loader passes; a key (or a quoted variable name) in code fails.
      kind: 'key-from-env',
      command: 'npm',
      args: ['start'],
      title: 'index.js takes the key from the environment',
      hint: 'In index.js, pass `apiKey: process.env.OPENAI_API_KEY` to `new OpenAI(…)` (or give no apiKey at all: `new OpenAI()` reads OPENAI_API_KEY by itself). Write it without quotes around it: it is code, not text.',
      explain: '#read-the-key-from-the-environment',
    },
    {
      id: 'still-works',
      kind: 'run',
      command: 'npm',
      args: ['start'],
      // The platform's ledger, not the printed text, proves the call; printing the key fails.
      expect: { exitCode: 0, outputIncludes: ['(mock '], platformCall: true },
      title: 'npm start still gets an answer from the model',
      hint: 'Make `npm start` load .env: in package.json set `"start": "node --env-file=.env index.js"`. Check that .env says `OPENAI_API_KEY=` followed by the whole key: a key cut short when copying is the usual cause of a 401. Print (or write to a log file) only whether the key is set, never the key.',
      explain: '#read-the-key-from-the-environment',
    },
  ],
});
