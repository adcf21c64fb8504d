// Chapter 3 of the real course, end to end on the local engine: the starter fails (the key is in the
// built page, /api/chat is not written), the learner fixes four files in Monaco, and every check
// passes — with a real `vite build`, a real server and the mock platform.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openChapterWorkspace, typeInMonaco } from './helpers/workspace.ts';

const chapter = '03-backend-proxy';
const solution = (path: string) => readFileSync(join('lessons', chapter, 'exercise', 'solution', path), 'utf8');

// First check of a fresh machine installs Vite and the SDK from the lockfile; builds take a while on
// two shared cores.
test.setTimeout(400_000);

const openWorkspace = (page: Page) => openChapterWorkspace(page, chapter);

const summary = (page: Page) => page.locator('[data-lp-summary]');
const check = (page: Page, id: string) => page.locator(`[data-check-id="${id}"]`);

test('chapter 3: the key in the built page fails; a backend proxy passes every check', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openWorkspace(page);
  const key = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { plantedKey: string }).plantedKey);
  expect(key).toMatch(/^sk-proj-/);

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('of 8 checks passed. First problem:', { timeout: 300_000 });
  await expect(check(page, 'bundle-clean')).toHaveAttribute('data-status', 'fail');
  await expect(check(page, 'bundle-clean')).toContainText('dist/assets/');
  await expect(check(page, 'proxy-answers')).toHaveAttribute('data-status', 'fail');
  await expect(check(page, 'no-vite-variable')).toHaveAttribute('data-status', 'fail');
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);

  // The fix, file by file, as the chapter's steps describe it.
  await typeInMonaco(page, '.env', `OPENAI_API_KEY=${key}\n`);
  await typeInMonaco(page, 'server.js', solution('server.js'));
  await typeInMonaco(page, 'src/main.js', solution('src/main.js'));
  await typeInMonaco(page, 'vite.config.js', solution('vite.config.js'));
  const files = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { getFiles(): Record<string, string> }).getFiles());
  expect(files['.env']).toBe(`OPENAI_API_KEY=${key}\n`);
  // Same code as the solution, whatever indentation Monaco chose.
  const squash = (t: string) => t.replace(/\s+/g, '');
  expect(squash(files['server.js']!)).toBe(squash(solution('server.js')));

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('All 8 checks passed', { timeout: 300_000 });
  await expect(check(page, 'proxy-answers')).toHaveAttribute('data-status', 'pass');
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);
});
