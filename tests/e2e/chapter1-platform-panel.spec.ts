// Chapter 1 on the local engine (issue 5): the session's mock platform is the one the learner's
// script calls, and <PlatformPanel /> in the chapter text shows the call arrive after a Check —
// cross-origin from the page (127.0.0.1:random port) under COEP require-corp.
import { expect, test } from '@playwright/test';

const chapter = '01-habits';

// The first check of a fresh machine installs the SDK from the lockfile, on two shared cores.
test.setTimeout(400_000);

test('chapter 1: after a Check the platform panel lists the script\'s call', async ({ page }) => {
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.goto(`/chapters/${chapter}/`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  const panel = page.locator('lp-platform-panel');
  await expect(panel).toContainText('The dashboard connects to your exercise\'s platform once the exercise runs');

  const open = page.getByRole('button', { name: 'Open the exercise' });
  if (await open.isVisible()) await open.click();
  await page.waitForFunction(() => !!(document.querySelector('lp-workspace') as unknown as { editor: unknown } | null)?.editor);
  const ready = page.evaluate(
    () => new Promise<{ url: string; controlToken: string }>((resolve) => document.addEventListener('lp-platform-ready', (e) => resolve((e as CustomEvent).detail), { once: true })),
  );
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  const platform = await ready;
  expect(platform.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(platform.controlToken).toBeTruthy();
  // The starter works (the key is only in the wrong place): its run reaches the platform.
  await expect(page.locator('[data-lp-summary]')).toContainText('checks passed', { timeout: 300_000 });

  await panel.scrollIntoViewIfNeeded();
  await expect(panel.locator('[data-lp-body]')).toBeVisible({ timeout: 30_000 });
  await panel.locator('[data-lp-metric]').selectOption('requests');
  await expect(panel.locator('[data-lp-chart]')).toContainText(/planted key .*: [1-9]\d* requests/, { timeout: 30_000 });
  expect(failed.filter((f) => f.includes('127.0.0.1') && !f.includes('ERR_ABORTED'))).toEqual([]);
});
