// Playwright global setup (runs once the web servers are up): for each site served by
// scripts/serve.mjs, open the one-time sign-in link the server wrote to its --sign-in-file (as a
// learner opens the link `npm start` prints) and keep the cookie it sets as the project's
// storageState, so every test's browser context starts signed in. This is the real sign-in flow,
// not a way around it: the link file is readable only by the account that started the server.
import { readFileSync, existsSync } from 'node:fs';
import { request, type FullConfig } from '@playwright/test';

export default async function signIn(config: FullConfig): Promise<void> {
  for (const project of config.projects) {
    const state = project.use.storageState;
    if (typeof state !== 'string') continue;
    const file = state.replace(/\.state\.json$/, '.sign-in');
    if (!existsSync(file)) throw new Error(`${project.name}: the course server wrote no sign-in link to ${file} (is it scripts/serve.mjs with --sign-in-file?).`);
    const link = readFileSync(file, 'utf8').trim();
    const ctx = await request.newContext();
    try {
      const res = await ctx.get(link, { maxRedirects: 0 });
      if (res.status() !== 303) throw new Error(`${project.name}: signing in with ${link.replace(/token=.*/, 'token=…')} answered ${res.status()}: ${await res.text()}`);
      await ctx.storageState({ path: state });
    } finally {
      await ctx.dispose();
    }
  }
}
