// Chapter 1 on the local engine (issue 5): the session's mock platform is the one the learner's
// script calls, and <PlatformPanel /> in the chapter text shows the call arrive after a Check —
// cross-origin from the page (127.0.0.1:random port) under COEP require-corp.
import { expect, test } from '@playwright/test';

const chapter = '01-habits';

// The first check of a fresh machine installs the SDK from the lockfile, on two shared cores.
test.setTimeout(400_000);

test('chapter 1: the platform starts when the exercise opens, and after a Check the panel lists the script\'s call', async ({ page }) => {
  // Listen from the first script on: the session (and its platform) starts as soon as the editor is ready.
  await page.addInitScript(() => {
    (window as unknown as { __lpReady: Promise<unknown> }).__lpReady = new Promise((resolve) =>
      document.addEventListener('lp-platform-ready', (e) => resolve((e as CustomEvent).detail), { once: true }),
    );
  });
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.goto(`/chapters/${chapter}/`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  const panel = page.locator('lp-platform-panel');

  const open = page.locator('lp-workspace [data-lp-open]');
  // dispatchEvent: the button goes away when Monaco (loading since the scroll) is in; see helpers/workspace.ts.
  if (await open.isVisible()) await open.dispatchEvent('click');
  await page.waitForFunction(() => !!(document.querySelector('lp-workspace') as unknown as { editor: unknown } | null)?.editor);
  // No Check yet: opening the exercise started the session, and with it the chapter's platform.
  const platform = await page.evaluate(() => (window as unknown as { __lpReady: Promise<{ url: string; controlToken: string }> }).__lpReady);
  expect(platform.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(platform.controlToken).toBeTruthy();
  await panel.scrollIntoViewIfNeeded();
  await expect(panel.locator('[data-lp-body]')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  // The starter works (the key is only in the wrong place): its run reaches the platform.
  await expect(page.locator('[data-lp-summary]')).toContainText('checks passed', { timeout: 300_000 });

  await panel.scrollIntoViewIfNeeded();
  await expect(panel.locator('[data-lp-body]')).toBeVisible({ timeout: 30_000 });
  await panel.locator('[data-lp-metric]').selectOption('requests');
  await expect(panel.locator('[data-lp-chart]')).toContainText(/planted key .*: [1-9]\d* requests/, { timeout: 30_000 });
  expect(failed.filter((f) => f.includes('127.0.0.1') && !f.includes('ERR_ABORTED'))).toEqual([]);
});
