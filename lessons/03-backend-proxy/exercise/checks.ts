// Chapter 3: a Vite page calls OpenAI from the browser with VITE_OPENAI_API_KEY. Done when a real
// `vite build` (maps, public/ and all) holds no form of the key, no VITE_ variable holds it, the
// built page — run with its form submitted — asks only the app's own /api/chat, and that route
// answers through the platform (its ledger says so) without the key in any answer, header or log,
// to good and bad requests alike.
import { defineExercise } from '../../../src/lib/exercise/define.ts';
import { callsProxyRoute, devProxyConfigured, noBrowserSdk, noViteVariableHoldsKey } from './front-end.ts';

const HIDING = 'Hiding a key is not removing it: base64, splitting it into pieces or reversing it still counts as the key.';

export default defineExercise({
  chapter: '03-backend-proxy',
  usesPlatform: true,
  checks: [
    {
      id: 'key-not-committed',
      kind: 'no-key-in',
      // Every project file, git-ignored ones too, except the ignored .env. First, before any build
      // writes dist/ (the build output is judged by bundle-clean).
      target: 'source',
      title: 'No file but the ignored .env holds the key',
      hint: `Keep the key only in .env (git ignores it); server.js reads it with process.env.OPENAI_API_KEY. ${HIDING}`,
      explain: '#hiding-a-key-is-not-removing-it',
    },
    {
      id: 'no-vite-variable',
      kind: 'custom',
      title: 'No VITE_ variable holds the key',
      hint: 'In .env, rename `VITE_OPENAI_API_KEY` to `OPENAI_API_KEY`. Only the server reads it; Vite leaves variables without the VITE_ prefix out of the page.',
      explain: '#how-vite-puts-variables-into-the-page',
      run: async (ctx) => noViteVariableHoldsKey(ctx.files, ctx.key),
    },
    {
      id: 'no-browser-sdk',
      kind: 'custom',
      title: 'The page no longer calls OpenAI itself',
      hint: 'In src/main.js, remove `import OpenAI from \'openai\'` and the client (with its `dangerouslyAllowBrowser`). The page sends the question to your server instead, and never fetches a key from it.',
      explain: '#everything-in-the-browser-is-public',
      needsRuntime: true,
      run: async (ctx) => noBrowserSdk(ctx),
    },
    {
      id: 'calls-proxy',
      kind: 'custom',
      title: 'The page asks /api/chat',
      hint: "In src/main.js, send the question with `fetch('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) })` and show `reply` from the JSON answer.",
      explain: '#the-fix-a-backend-proxy',
      needsRuntime: true,
      run: async (ctx) => callsProxyRoute(ctx),
    },
    {
      id: 'dev-proxy',
      kind: 'custom',
      title: 'vite.config.js proxies /api in development',
      hint: "In vite.config.js, add `server: { proxy: { '/api': 'http://127.0.0.1:8787' } }` so `npm run dev` passes /api requests to `npm start`.",
      explain: '#use-the-proxy-in-development',
      needsRuntime: true,
      run: async (ctx) => devProxyConfigured(ctx),
    },
    {
      id: 'bundle-clean',
      kind: 'no-key-in',
      target: 'bundle',
      build: { command: 'npm', args: ['run', 'build'], outDir: 'dist' },
      title: 'The built page (dist/, source maps and public/ files included) holds no form of the key',
      hint: `The key must not reach any file the browser gets: no VITE_ variable, nothing in src/ or public/, no \`define\` in vite.config.js. ${HIDING}`,
      explain: '#source-maps-and-public-files-ship-too',
    },
    {
      id: 'proxy-answers',
      kind: 'http-probe',
      server: { command: 'npm', args: ['start'] },
      request: {
        method: 'POST',
        path: '/api/chat',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Say hello through the proxy' }),
      },
      // `"reply"` is the field the page reads; the ledger proves the call reached the platform. The
      // sweep then sends bad requests and every route the code names; no answer, header or log line
      // may hold the key.
      expect: { status: 200, bodyIncludes: ['"reply"'], platformCall: true },
      keyAbsent: true,
      title: 'POST /api/chat answers through the platform; no answer, header or log shows the key',
      hint: 'In server.js, fill in chat(): read the JSON body, call `client.chat.completions.create(…)` with a client made by `new OpenAI()` (it reads OPENAI_API_KEY from the environment), and answer `{ "reply": … }` with status 200. Never put the key, or the upstream error, in the answer.',
      explain: '#write-the-proxy-route',
    },
    {
      id: 'server-reads-environment',
      // Behaviour: with a second key in .env and OPENAI_API_KEY, the platform must see that key.
      kind: 'key-from-env',
      server: { command: 'npm', args: ['start'] },
      request: { method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Which key do you use?' }) },
      title: 'server.js takes the key from the environment',
      hint: 'In server.js, create the client with `new OpenAI()` (it reads OPENAI_API_KEY) or `new OpenAI({ apiKey: process.env.OPENAI_API_KEY })`, with no quotes around process.env…, and start it with `npm start` (which loads .env).',
      explain: '#write-the-proxy-route',
    },
  ],
});
