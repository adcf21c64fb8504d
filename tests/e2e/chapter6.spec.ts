// Chapter 6 of the real course, end to end on the local engine: the starter fails (the key is in the
// workflow and netlify.toml, a VITE_ variable puts it in the page), the learner follows the
// chapter's steps, and every check passes, the optional production path included: the simulated
// deploy builds with the host's environment, and the server reads the key from the secret manager.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openChapterWorkspace, pasteInMonaco, typeInMonaco } from './helpers/workspace.ts';

const chapter = '06-deploying';
const starter = (path: string) => readFileSync(join('lessons', chapter, 'exercise', 'files', path), 'utf8');
const page6 = readFileSync(join('lessons', chapter, 'index.mdx'), 'utf8');

// The first check of a fresh machine installs Vite and the SDKs from the lockfile.
test.setTimeout(500_000);

const summary = (page: Page) => page.locator('[data-lp-summary]');
const check = (page: Page, id: string) => page.locator(`[data-check-id="${id}"]`);
type Ws = { plantedKey: string; getFiles(): Record<string, string> };

test('chapter 6: a key in the deploy configuration fails; secrets, host settings and a secret manager pass', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openChapterWorkspace(page, chapter);
  const key = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as Ws).plantedKey);

  // Step 1.
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('of 5 checks passed. First problem:', { timeout: 400_000 });
  for (const id of ['key-not-committed', 'no-public-variable', 'workflow-uses-secret', 'deploy-host-env']) {
    await expect(check(page, id)).toHaveAttribute('data-status', 'fail');
  }
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);

  // Steps 2 to 6, as the chapter writes them.
  await typeInMonaco(page, '.env', `OPENAI_API_KEY=${key}\n`);
  await typeInMonaco(page, 'netlify.toml', starter('netlify.toml').split('\n').filter((l) => !l.includes('VITE_OPENAI_API_KEY')).join('\n'));
  const workflow = starter('.github/workflows/deploy.yml')
    .replace('    env:\n      VITE_OPENAI_API_KEY: {{PLANTED_KEY}}\n', '')
    .replace('      - run: npm test\n', '      - run: npm test\n        env:\n          OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n');
  expect(workflow).toContain('secrets.OPENAI_API_KEY');
  await pasteInMonaco(page, '.github/workflows/deploy.yml', workflow);
  const main = starter('src/main.js')
    .replace('const apiKey = import.meta.env.VITE_OPENAI_API_KEY;\n', '')
    .replace("headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },", "headers: { 'content-type': 'application/json' },");
  expect(main).not.toContain('apiKey');
  await typeInMonaco(page, 'src/main.js', main);
  const start = page6.indexOf('```js\n// key.js\n');
  const keyJs = page6.slice(start + '```js\n'.length, page6.indexOf('```', start + 6));
  await pasteInMonaco(page, 'key.js', keyJs);
  const files = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as Ws).getFiles());
  expect(files['.github/workflows/deploy.yml']).toBe(workflow);
  expect(files['key.js']).toBe(keyJs);

  // Step 7.
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('All 5 checks passed', { timeout: 400_000 });
  await expect(check(page, 'deploy-secret-store')).toHaveAttribute('data-status', 'pass');
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);
  await page.screenshot({ path: 'test-results/chapter6-pass-1280.png' });
});
