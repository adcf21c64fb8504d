// Chapter 10 of the real course, end to end on the local engine: the starter fails (five Owners, a
// shared key in the README and a chat export, production on a personal key, no review). The learner
// sets the roles in the dashboard panel's People section (the other correct way besides team.yaml),
// edits team.yaml, the README and the review files in Monaco, and every check passes: the checks run
// `npm run apply` and ask the mock platform's Admin API, signed in as each Reader. Then the last
// chapter leads to the end page, which lists it as passed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openChapterWorkspace } from './helpers/workspace.ts';
import { expectNoSeriousA11yViolations } from './helpers/axe.ts';

const chapter = '10-teams';
const solution = (path: string) => readFileSync(join('lessons', chapter, 'exercise', 'solution', path), 'utf8');

test.setTimeout(400_000);

const summary = (page: Page) => page.locator('[data-lp-summary]');
const check = (page: Page, id: string) => page.locator(`[data-check-id="${id}"]`);

/** Replaces a file's text the way a learner pastes it (Ctrl+V). */
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

test('chapter 10: the starter fails; roles in the panel, team.yaml and review files pass; the end page lists it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openChapterWorkspace(page, chapter);
  const key = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { plantedKey: string }).plantedKey);

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('of 11 checks passed. First problem:', { timeout: 300_000 });
  for (const id of ['key-not-committed', 'owners-and-readers', 'reader-refused', 'prod-uses-service-account', 'shared-key-revoked', 'review-rules', 'scan-on-pull-requests', 'spend-alerts-reach-both']) {
    await expect(check(page, id)).toHaveAttribute('data-status', 'fail');
  }
  await expect(check(page, 'reader-refused')).toContainText('Nobody is a Reader');
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);

  // Roles in the dashboard panel: three Readers, Members of development, out of production.
  const panel = page.locator('lp-platform-panel');
  await panel.scrollIntoViewIfNeeded();
  for (const who of ['cy', 'dee', 'eli']) {
    const email = `${who}@example.com`;
    await panel.getByRole('combobox', { name: `${email}: organization role` }).selectOption('reader');
    await expect(panel.getByRole('combobox', { name: `${email}: organization role` })).toHaveValue('reader');
    await panel.getByRole('combobox', { name: `${email} in Development` }).selectOption('member');
    await expect(panel.getByRole('combobox', { name: `${email} in Development` })).toHaveValue('member');
    await panel.getByRole('combobox', { name: `${email} in Production` }).selectOption('');
    await expect(panel.getByRole('combobox', { name: `${email} in Production` })).toHaveValue('');
  }
  await page.screenshot({ path: 'test-results/chapter10-panel-1280.png', fullPage: false });

  // The rest as code: team.yaml without the roles (the panel owns them now), README, review files.
  const team = solution('team.yaml');
  await pasteInMonaco(page, 'team.yaml', team.slice(0, team.indexOf('# Two Owners')) + team.slice(team.indexOf('# One per deployed app')));
  await pasteInMonaco(page, 'README.md', solution('README.md'));
  await pasteInMonaco(page, 'docs/chat-export.txt', '#support-bot-dev, exported for the onboarding wiki\n\n(keys removed: everyone makes their own)\n');
  await pasteInMonaco(page, '.github/workflows/ci.yml', solution('.github/workflows/ci.yml'));
  await newFile(page, '.github/pull_request_template.md', solution('.github/pull_request_template.md'));
  await newFile(page, '.github/CODEOWNERS', solution('.github/CODEOWNERS'));

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('All 11 checks passed', { timeout: 300_000 });
  await expect(check(page, 'reader-refused')).toHaveAttribute('data-status', 'pass');
  // The panel shows what `npm run apply` did: the service account's key, the revoked keys.
  await expect(panel.locator('[data-lp-keys]')).toContainText('service account');
  await page.screenshot({ path: 'test-results/chapter10-pass-1280.png', fullPage: false });
  await page.setViewportSize({ width: 390, height: 844 });
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/chapter10-panel-390.png', fullPage: false });
  await page.setViewportSize({ width: 1280, height: 900 });

  // The last chapter leads to the end of the course, where it is listed as passed.
  await page.getByRole('link', { name: /The end of the course/ }).click();
  await expect(page).toHaveURL(/\/end\/$/);
  await expect(page.locator('[data-chapter="10-teams"] [data-lp-result]')).toContainText(/Passed .* on your computer \(local engine\)/);
  await expect(page.getByRole("heading", { name: /^\d+\. Keys in a team$/ }).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/end-course-1280.png', fullPage: true });
});

// The page standard: no serious axe violation, light and dark, with the workspace open and the
// panel's People section filled in; the end page too; nothing wider than a phone's screen.
for (const colorScheme of ['light', 'dark'] as const) {
  test(`10-teams and the end page: no serious accessibility violation, ${colorScheme} theme`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme });
    await openChapterWorkspace(page, chapter);
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    // The panel connects once the exercise's platform runs: the first Check starts it.
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(summary(page)).toContainText('of 11 checks passed', { timeout: 180_000 });
    // The panel fetches nothing until it is on screen.
    await page.locator('lp-platform-panel').scrollIntoViewIfNeeded();
    await expect(page.locator('lp-platform-panel [data-lp-people] table')).toBeVisible();
    await expectNoSeriousA11yViolations(page, `${chapter} (${colorScheme})`);
    await page.goto('/end/');
    await expectNoSeriousA11yViolations(page, `end page (${colorScheme})`);
  });
}

test('10-teams and the end page: readable on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of [`/chapters/${chapter}/`, '/end/']) {
    await page.goto(path);
    await page.screenshot({ path: `test-results/${path.replace(/\W+/g, '-')}390.png`, fullPage: false });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(1);
  }
});
