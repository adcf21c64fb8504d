// Chapter 8 of the real course, end to end on the local engine: the starter fails (the leaked key
// still works, its history holds it, no guard). The learner works the incident as the steps say, in
// the dashboard: reads the night's usage, revokes the leaked key first, creates a new one and puts
// it in .env; then fills in INCIDENT.md, writes rewrite-history.sh and the pre-commit hook in Monaco.
// Every check passes: real git, real git filter-repo, real commits, the mock platform's audit log.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './helpers/axe.ts';
import { openChapterWorkspace, typeInMonaco } from './helpers/workspace.ts';

const chapter = '08-leak-response';
const solution = (path: string) => readFileSync(join('lessons', chapter, 'exercise', 'solution', path), 'utf8');

test.setTimeout(400_000);

const summary = (page: Page) => page.locator('[data-lp-summary]');
const check = (page: Page, id: string) => page.locator(`[data-check-id="${id}"]`);

/** Replaces a file's text the way a learner pastes it (Ctrl+V): no auto-closed brackets or quotes. */
async function pasteInMonaco(page: Page, path: string, text: string) {
  await page.evaluate((p) => (document.querySelector('lp-workspace') as unknown as { editor: { open(p: string): void } }).editor.open(p), path);
  await page.locator('[data-lp-editor] .monaco-editor').first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

async function newFile(page: Page, path: string, text: string) {
  await page.getByRole('button', { name: 'New file' }).click();
  const dialog = page.getByRole('dialog', { name: 'New file' });
  await dialog.getByRole('textbox').fill(path);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await pasteInMonaco(page, path, text);
}

test('chapter 8: the leaked key, its history and no guard fail; revoke first, report, new key, rewrite and hook pass', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openChapterWorkspace(page, chapter);
  const key = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { plantedKey: string }).plantedKey);
  expect(key).toMatch(/^sk-proj-/);

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('of 8 checks passed. First problem:', { timeout: 300_000 });
  for (const id of ['leaked-key-revoked', 'revoked-before-new-key', 'incident-figures', 'new-key-deployed', 'history-clean', 'commit-guard']) {
    await expect(check(page, id)).toHaveAttribute('data-status', 'fail');
  }
  await expect(check(page, 'history-clean')).toContainText('.env line 1');
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);

  // The dashboard: the night's traffic on a model the app never calls.
  const panel = page.locator('lp-platform-panel');
  await panel.scrollIntoViewIfNeeded();
  const usage = panel.locator('[data-lp-usage-table]');
  const foreign = usage.locator('tr', { hasText: 'gpt-4o' }).filter({ hasNotText: 'gpt-4o-mini' });
  await expect(foreign).toContainText('150', { timeout: 30_000 });
  await expect(foreign).toContainText('$10.50');
  await expect(foreign).toContainText('2026-11-14 02:13');

  // Revoke first, then a new key.
  await panel.locator('button[data-action="revoke"][data-key="key_weekend_app"]').click();
  await expect(panel.locator('[data-lp-keys]')).toContainText('revoked');
  await panel.getByText('Create a new secret key').click();
  await panel.locator('form[data-lp-create-key]').getByRole('button', { name: 'Create secret key' }).click();
  await expect(panel.locator('[data-lp-new-key-value]')).toHaveText(/^\s*sk-proj-/);
  const fresh = (await panel.locator('[data-lp-new-key-value]').textContent())!.trim();
  expect(fresh).toMatch(/^sk-proj-/);
  expect(fresh).not.toBe(key);

  // Deploy it, write the report, the rewrite and the guard.
  await typeInMonaco(page, '.env', `OPENAI_API_KEY=${fresh}\n`);
  await typeInMonaco(page, 'INCIDENT.md', solution('INCIDENT.md'));
  await typeInMonaco(page, 'rewrite-history.sh', solution('rewrite-history.sh'));
  await pasteInMonaco(page, 'package.json', solution('package.json'));
  await newFile(page, '.githooks/pre-commit', solution('.githooks/pre-commit'));
  const files = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { getFiles(): Record<string, string> }).getFiles());
  const squash = (t: string) => t.replace(/\s+/g, '');
  expect(squash(files['package.json']!)).toBe(squash(solution('package.json')));
  expect(squash(files['.githooks/pre-commit']!)).toBe(squash(solution('.githooks/pre-commit')));

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('All 8 checks passed', { timeout: 300_000 });
  await expect(check(page, 'revoked-before-new-key')).toHaveAttribute('data-status', 'pass');
  await expect(check(page, 'history-clean')).toHaveAttribute('data-status', 'pass');
  const text = await page.locator('lp-check-panel').innerText();
  expect(text).not.toContain(key);
  expect(text).not.toContain(fresh);

  await page.setViewportSize({ width: 1280, height: 900 });
  await check(page, 'commit-guard').scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('chapter8-passed-1280.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await usage.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('chapter8-usage-390.png') });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`no serious accessibility violation: chapter 8 with the dashboard connected, ${colorScheme}`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme });
    await openChapterWorkspace(page, chapter);
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    const panel = page.locator('lp-platform-panel');
    await panel.scrollIntoViewIfNeeded();
    await expect(panel.locator('[data-lp-body]')).toBeVisible({ timeout: 60_000 });
    await expect(panel.locator('[data-lp-usage-table] table')).toBeVisible({ timeout: 30_000 });
    await expectNoSeriousA11yViolations(page, `chapter 8 (${colorScheme})`);
  });
}
