// The end of the course on the fixture course: pass every chapter with an exercise (real Check on
// the local engine), follow the last chapter's "next" link to the end page, get the completion
// record as a download, verify it with `leakproof verify`, and see a tampered copy fail.
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChapterWorkspace, typeInMonaco } from './helpers/workspace.ts';
import { expectNoSeriousA11yViolations } from './helpers/axe.ts';

const FIXED_CLIENT = "const apiKey = process.env.OPENAI_API_KEY ?? '';\n\nexport function describeClient() {\nreturn `client ready (key ends with ${apiKey.slice(-4)})`;\n}\n";
const ROOT = join(import.meta.dirname, '../..');

function verify(file: string) {
  const r = spawnSync(process.execPath, ['bin/leakproof.mjs', 'verify', file, '--lessons', 'tests/fixtures/course'], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test.describe.configure({ timeout: 180_000 });

test('pass the fixture course, get the record, verify it; a tampered record fails', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());

  // Before any pass: the end page says so and issues nothing.
  await page.goto('/end/');
  await expect(page.getByText('You passed 0 of 1 chapters with an exercise.')).toBeVisible();
  await page.getByRole('button', { name: 'Download the record (JSON)' }).click();
  await expect(page.getByText('Pass at least one chapter first')).toBeVisible();

  // Chapter 1 (the fixture course's only exercise), fixed as a learner would and checked for real.
  await openChapterWorkspace(page, '01-first-steps');
  await typeInMonaco(page, 'src/client.js', FIXED_CLIENT);
  await page.evaluate(() => {
    const ws = document.querySelector('lp-workspace') as unknown as { getFiles(): Record<string, string>; setFiles(f: Record<string, string>): void };
    ws.setFiles({ ...ws.getFiles(), '.gitignore': '.env\n' });
  });
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.locator('[data-lp-summary]')).toContainText('All 2 checks passed', { timeout: 90_000 });

  // The last chapter leads on to the end page.
  await page.goto('/chapters/03-wrap-up/');
  await page.getByRole('link', { name: /The end of the course/ }).click();
  await expect(page).toHaveURL(/\/end\/$/);
  await expect(page.getByText('You passed 1 of 1 chapters with an exercise.')).toBeVisible();
  const card = page.locator('[data-chapter="01-first-steps"]');
  await expect(card.locator('[data-lp-result]')).toContainText(/Passed .* on your computer \(local engine\)\./);
  await expect(page.locator('[data-chapter="02-no-exercise"] [data-lp-result]')).toHaveText('Reading chapter (no exercise)');
  await expectNoSeriousA11yViolations(page, 'end page');

  // The record, as a download.
  await page.getByLabel('Your name on the record (optional)').fill('Ada Lovelace');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the record (JSON)' }).click()]);
  expect(download.suggestedFilename()).toBe('leakproof-record.json');
  const dir = mkdtempSync(join(tmpdir(), 'lp-e2e-record-'));
  const file = join(dir, 'record.json');
  await download.saveAs(file);
  const record = JSON.parse(readFileSync(file, 'utf8'));
  expect(record).toMatchObject({ format: 'leakproof-completion-record/1', learner: 'Ada Lovelace', chapters: [{ id: '01-first-steps', engine: 'local' }] });

  // A facilitator verifies it against the course it came from.
  const good = verify(file);
  expect(good.out).toContain('01-first-steps passed');
  expect(good.out).toContain('The record verifies against this course.');
  expect(good.code).toBe(0);

  // Tampered: an earlier date typed in by hand. The seal no longer matches.
  record.chapters[0].passedAt = '2026-01-01T09:00:00.000Z';
  const tampered = join(dir, 'tampered.json');
  writeFileSync(tampered, JSON.stringify(record, null, 2));
  const bad = verify(tampered);
  expect(bad.out).toContain('The seal does not match the content');
  expect(bad.out).toContain('The record does NOT verify.');
  expect(bad.code).toBe(1);

  // The printable page: the record block, without the site's header or buttons.
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void (window as unknown as { printed: number }).printed++;
  });
  await page.getByRole('button', { name: 'Print the record' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  const view = page.locator('[data-lp-record-view]');
  await expect(view).toContainText('Learner: Ada Lovelace');
  await expect(view.getByRole('table', { name: 'Chapters passed' })).toContainText('First steps with a secret');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print the record' })).toBeHidden();
  await expect(view).toBeVisible();
  await page.screenshot({ path: 'test-results/end-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  for (const [w, h] of [[1280, 900], [390, 844]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `test-results/end-${w}.png`, fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  }
});
