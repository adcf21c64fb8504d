// Chapter 1: the key is pasted into index.js. Done when no file git would commit holds the key in
// any form, and the script still gets an answer from the (mock) platform with the key from .env.
import { defineExercise } from '../../../src/lib/exercise/define.ts';

const HIDING = 'Hiding a key is not removing it: base64, splitting it into pieces or reversing it still counts as the key.';

export default defineExercise({
  chapter: '01-habits',
  usesPlatform: true,
  checks: [
    {
      id: 'key-not-committed',
      kind: 'no-key-in',
      target: 'source',
      title: 'No file git would commit holds the key',
      hint: `Cut the key out of index.js and paste it into a new file named .env as \`OPENAI_API_KEY=sk-proj-…\`. ${HIDING}`,
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
      kind: 'file',
      path: 'index.js',
      // `new OpenAI()` with no options reads OPENAI_API_KEY by itself, so accept that too.
      matches: ['process\\.env|new OpenAI\\(\\s*\\)'],
      title: 'index.js reads the key from the environment',
      hint: 'In index.js, pass `apiKey: process.env.OPENAI_API_KEY` to `new OpenAI(…)` instead of the pasted key.',
      explain: '#read-the-key-from-the-environment',
    },
    {
      id: 'still-works',
      kind: 'run',
      command: 'npm',
      args: ['start'],
      // "(mock " only comes from the course's mock platform: the script really got an answer.
      expect: { exitCode: 0, outputIncludes: ['(mock '] },
      title: 'npm start still gets an answer from the model',
      hint: 'Make `npm start` load .env: in package.json set `"start": "node --env-file=.env index.js"`. Check that .env says `OPENAI_API_KEY=` followed by the whole key, with no spaces or quotes around it.',
      explain: '#read-the-key-from-the-environment',
    },
  ],
});
