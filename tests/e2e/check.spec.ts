// The Check button on the local engine (scripts/serve.mjs with the /__engine/ endpoints), on the
// engine's fixture course (tests/fixtures/exercises): a failure with its message, a fix typed in
// Monaco, a pass, and after a reload the passed state and the code are still there.
import { expect, test, type Page } from '@playwright/test';
import { openChapterWorkspace, typeInMonaco } from './helpers/workspace.ts';
import { AxeBuilder } from '@axe-core/playwright';

const chapter = '02-fixture-paste';
const FIXED = "const apiKey = process.env.OPENAI_API_KEY ?? '';\nconsole.log(apiKey.startsWith('sk-proj-') ? 'key loaded: yes' : 'key loaded: no');\n";

const openWorkspace = (page: Page) => openChapterWorkspace(page, chapter);

const summary = (page: Page) => page.locator('[data-lp-summary]');

// Real processes on two shared cores: give each test room beyond the config's default.
test.describe.configure({ timeout: 180_000 });

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
});

test('Check fails with its message; fixed in Monaco it passes; a reload keeps the pass and the code', async ({ page }) => {
  await openWorkspace(page);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('1 of 2 checks passed. First problem: No file git would commit holds the key', { timeout: 60_000 });
  await expect(page.getByText('Runs on: your computer (local engine)')).toBeVisible();
  const first = page.locator('[data-check-id="key-not-committed"] details');
  await expect(first).toHaveAttribute('open', '');
  await expect(first).toContainText('app.mjs line 1');
  await expect(first).toContainText('Hint: In app.mjs, read the key with process.env.OPENAI_API_KEY');
  await expect(first.getByRole('link', { name: /Why\?/ })).toHaveAttribute('href', '#read-the-key-from-the-environment');
  // The panel with an opened failure has no serious accessibility problem.
  const axe = await new AxeBuilder({ page }).include('lp-check-panel').withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  // The full key is never shown.
  const key = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { plantedKey: string }).plantedKey);
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);

  await typeInMonaco(page, 'app.mjs', FIXED);
  // Ctrl/Cmd+Enter from inside the editor runs the checks.
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(summary(page)).toContainText('All 2 checks passed', { timeout: 60_000 });

  await page.reload();
  await expect(summary(page)).toContainText('You passed this chapter');
  const saved = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { getFiles(): Record<string, string> }).getFiles()['app.mjs']);
  expect(saved).toContain('process.env.OPENAI_API_KEY');
});

test('after three failed checks the solution is offered as a diff; the learner keeps their code', async ({ page }) => {
  await openWorkspace(page);
  const check = page.getByRole('button', { name: 'Check', exact: true });
  const offer = page.getByRole('button', { name: 'Compare with a solution' });
  for (let i = 1; i <= 3; i++) {
    await expect(offer).toBeHidden();
    await check.click();
    await expect(summary(page)).toContainText('1 of 2 checks passed', { timeout: 60_000 });
  }
  const getMine = () => page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { getFiles(): Record<string, string> }).getFiles()['app.mjs']);
  const before = await getMine();
  // The diff editor is a chunk of its own: opening the editor and checking did not fetch it.
  const diffChunk = /\/_leakproof\/editor\/chunks\/diff-editor-[^/]+\.js$/;
  const fetched: string[] = [];
  page.on('request', (r) => void (diffChunk.test(new URL(r.url()).pathname) && fetched.push(r.url())));
  expect(await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /diff-editor-/.test(e.name)).length)).toBe(0);
  await offer.click();
  const diff = page.locator('[data-lp-diff]');
  await expect(diff).toContainText('app.mjs (changed)');
  // Monaco's diff editor: the learner's file on the left, the solution's on the right.
  const monacoDiff = diff.getByRole('group', { name: 'Differences in app.mjs: your code, then the solution' });
  await expect(monacoDiff.locator('.monaco-diff-editor')).toBeVisible({ timeout: 30_000 });
  expect(fetched).toHaveLength(1);
  await expect(monacoDiff.locator('.editor.modified')).toContainText('process.env.OPENAI_API_KEY');
  await expect(monacoDiff.locator('.editor.original')).toContainText('sk-proj-');
  await expect(monacoDiff.locator('.line-insert, .char-insert').first()).toBeAttached();
  // Keyboard: reachable, and Escape then Tab leaves it (read-only, so no trap).
  const where = () =>
    page.evaluate(() => {
      const a = document.activeElement;
      if (!a?.closest('[data-lp-diff] [role="group"]')) return 'outside';
      return a.closest('.editor.original') ? 'original' : a.closest('.editor.modified') ? 'modified' : `diff:${a.className}`;
    });
  await page.getByRole('button', { name: 'Put the solution in the editor (undoable)' }).focus();
  const seen: string[] = [];
  await page.keyboard.press('Tab');
  seen.push(await where());
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    seen.push(await where());
  }
  // One stop per side (each read-only editor); Escape then Tab moves on, and out after the second.
  expect(seen).toEqual(['original', 'modified', 'outside', 'outside']);
  await expect(monacoDiff.locator('.editor.original')).toBeVisible();
  // Their code is kept.
  expect(await getMine()).toBe(before);
  expect(before).toContain("const apiKey = 'sk-proj-");
});

test('Download gives the workspace as a zip', async ({ page }) => {
  await openWorkspace(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as .zip' }).click()]);
  expect(download.suggestedFilename()).toBe(`${chapter}.zip`);
});
