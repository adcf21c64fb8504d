// Chapter 5 of the real course, end to end on the local engine: in the starter a commit holding the
// key goes through and there is no workflow; the learner adds the secretlint configuration, the
// husky hook, the prepare script and the workflow as the steps say, and real `git commit`s are
// refused (planted key, real-shaped key) or let through (a clean one), and the workflow's steps fail
// a push that holds a key.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './helpers/axe.ts';
import { openChapterWorkspace } from './helpers/workspace.ts';

const chapter = '05-detection-tools';
const solution = (path: string) => readFileSync(join('lessons', chapter, 'exercise', 'solution', path), 'utf8');

// The first check of a fresh machine installs secretlint, husky and the SDK from the lockfile.
test.setTimeout(400_000);

const summary = (page: Page) => page.locator('[data-lp-summary]');
const check = (page: Page, id: string) => page.locator(`[data-check-id="${id}"]`);

/** Replaces a file's text the way a learner pastes it (Ctrl+V): indentation kept, which YAML needs. */
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

test('chapter 5: a key commit goes through and nothing scans CI; secretlint, husky and a workflow pass', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openChapterWorkspace(page, chapter);
  const key = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { plantedKey: string }).plantedKey);

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('of 3 checks passed. First problem:', { timeout: 300_000 });
  await expect(check(page, 'commit-guard')).toHaveAttribute('data-status', 'fail');
  await expect(check(page, 'commit-guard')).toContainText('went through');
  await expect(check(page, 'ci-scans')).toHaveAttribute('data-status', 'fail');

  for (const path of ['.secretlintrc.json', '.husky/pre-commit', '.github/workflows/secret-scan.yml']) await newFile(page, path, solution(path));
  await pasteInMonaco(page, 'package.json', solution('package.json'));
  const files = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { getFiles(): Record<string, string> }).getFiles());
  expect(files['.github/workflows/secret-scan.yml']).toBe(solution('.github/workflows/secret-scan.yml'));

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('All 3 checks passed', { timeout: 300_000 });
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);

  await page.setViewportSize({ width: 1280, height: 900 });
  await check(page, 'ci-scans').scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('chapter5-passed-1280.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await check(page, 'commit-guard').scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('chapter5-passed-390.png') });
  await page.getByRole('heading', { name: 'Write a rule for your own keys' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('chapter5-prose-390.png') });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`no serious accessibility violation: chapter 5, ${colorScheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await openChapterWorkspace(page, chapter);
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    await expectNoSeriousA11yViolations(page, `chapter 5 (${colorScheme})`);
  });
}
