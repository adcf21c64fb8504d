// Chapter 7 of the real course, end to end on the local engine: the starter's rotation (revoke first,
// server reads the key once) fails with the number of failed requests; the learner rewrites
// server.js and rotate.js in Monaco as the steps say, and every check passes while the course sends
// steady traffic through the server. The dashboard panel shows the rotation live.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openChapterWorkspace, typeInMonaco } from './helpers/workspace.ts';

const chapter = '07-key-rotation';
const solution = (path: string) => readFileSync(join('lessons', chapter, 'exercise', 'solution', path), 'utf8');

// The first check of a fresh machine installs the SDK from the lockfile, on two shared cores.
test.setTimeout(400_000);

const summary = (page: Page) => page.locator('[data-lp-summary]');
const check = (page: Page, id: string) => page.locator(`[data-check-id="${id}"]`);

test('chapter 7: revoke-first fails with the failed requests counted; the safe rotation passes with none', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openChapterWorkspace(page, chapter);
  const key = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { plantedKey: string }).plantedKey);
  expect(key).toMatch(/^sk-proj-/);

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('of 9 checks passed. First problem:', { timeout: 300_000 });
  await expect(check(page, 'zero-failed-requests')).toHaveAttribute('data-status', 'fail');
  await expect(check(page, 'zero-failed-requests')).toContainText(/[1-9]\d* of \d+ requests failed during the rotation/);
  await expect(check(page, 'new-key-serves')).toHaveAttribute('data-status', 'fail');
  await expect(check(page, 'new-key-expires')).toHaveAttribute('data-status', 'fail');
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);

  // The dashboard saw it: the old key revoked while the server still sent it.
  const panel = page.locator('lp-platform-panel');
  await panel.scrollIntoViewIfNeeded();
  await expect(panel.locator('[data-lp-events]')).toContainText('revoked', { timeout: 30_000 });

  // The fix, as the steps describe it.
  await typeInMonaco(page, 'server.js', solution('server.js'));
  await typeInMonaco(page, 'rotate.js', solution('rotate.js'));
  const files = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { getFiles(): Record<string, string> }).getFiles());
  const squash = (t: string) => t.replace(/\s+/g, '');
  expect(squash(files['rotate.js']!)).toBe(squash(solution('rotate.js')));

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('All 9 checks passed', { timeout: 300_000 });
  await expect(check(page, 'zero-failed-requests')).toHaveAttribute('data-status', 'pass');
  // The new service-account key appeared, served the traffic, and only then was the old key revoked.
  await expect(panel.locator('[data-lp-events]')).toContainText('sk-svcacct-', { timeout: 30_000 });
  await page.setViewportSize({ width: 1280, height: 900 });
  await check(page, 'zero-failed-requests').scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('chapter7-passed-1280.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('chapter7-panel-390.png') });
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);
});
