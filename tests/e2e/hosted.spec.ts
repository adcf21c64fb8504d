// A static deploy without the local engine (tests/e2e/helpers/static-server.mjs: isolation headers,
// no engine token), on the hosted fixture course (tests/fixtures/hosted). On these machines
// StackBlitz's hosts are unreachable, so a real WebContainer.boot() never settles: the boot time
// limit fires, the reason is shown, and the in-browser engine (esbuild-wasm in a worker) runs the
// checks. Nothing here shows that WebContainer itself works (see docs/hosted-engines.md).
import { expect, test, type Page } from '@playwright/test';

const chapter = '01-hosted-vite-key';

async function openWorkspace(page: Page, query: string) {
  await page.goto(`/chapters/${chapter}/${query}`);
  // The element's own API rather than its button: the workspace also opens by itself when it
  // scrolls into view, and a button that disappears mid-click made this flaky on a busy machine.
  await page.waitForFunction(() => !!customElements.get('lp-workspace'));
  await page.evaluate(() => void (document.querySelector('lp-workspace') as unknown as { open(): Promise<void> }).open());
  await page.waitForFunction(() => (document.querySelector('lp-workspace') as unknown as { ready?: boolean } | null)?.ready === true);
}

const summary = (page: Page) => page.locator('[data-lp-summary]');
const row = (page: Page, id: string) => page.locator(`[data-check-id="${id}"]`);

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
});

test('the page is a static deploy: cross-origin isolated, no local engine token', async ({ page }) => {
  await page.goto(`/chapters/${chapter}/`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.locator('meta[name="leakproof-engine-token"]')).toHaveCount(0);
});

test('?engine=webcontainer: the boot times out, the reason is shown, the in-browser engine checks a real bundle', async ({ page }) => {
  test.setTimeout(180_000);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openWorkspace(page, '?engine=webcontainer&wcTimeout=3000');
  const key = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { plantedKey: string }).plantedKey);
  expect(key).toMatch(/^sk-proj-/);

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('1 of 3 checks passed', { timeout: 150_000 });

  // The fallback, in words.
  await expect(page.getByText('Runs on: this browser only (in-browser engine)')).toBeVisible();
  const reason = page.locator('[data-lp-engine-reason]');
  await expect(reason).toContainText('WebContainer did not start within 3 s');
  await expect(reason).toContainText("StackBlitz's");
  await expect(reason).toContainText('npm start');
  await expect(reason).toContainText('reload');
  // It really tried: the WebContainer runtime was requested from StackBlitz.
  expect(requests.some((u) => /stackblitz|webcontainer/.test(u))).toBe(true);

  // The bundle check ran on an esbuild bundle and found the VITE_ key in it.
  await expect(row(page, 'bundle-clean')).toHaveAttribute('data-status', 'fail');
  await expect(row(page, 'bundle-clean')).toContainText(/assets\/index-[A-Z0-9]+\.js/);
  // A file check any engine can run.
  await expect(row(page, 'env-ignored')).toHaveAttribute('data-status', 'pass');
  // The server check needs a runtime: skipped, never passed.
  await expect(row(page, 'proxy-answers')).toHaveAttribute('data-status', 'skipped');
  await row(page, 'proxy-answers').locator('summary').click();
  await expect(row(page, 'proxy-answers')).toContainText('needs a runtime');
  // The build log went to the output panel.
  await expect(page.locator('.lp-output__text')).toContainText('esbuild-wasm');
  // The key itself is never shown.
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);
});

test('?engine=in-browser: the solution passes the bundle check, but the chapter is not passed while a check is skipped', async ({ page }) => {
  test.setTimeout(120_000);
  await openWorkspace(page, '?engine=in-browser');
  // Put the chapter's solution in (the same files the solution offer applies).
  await page.evaluate(async () => {
    const ws = document.querySelector('lp-workspace') as unknown as { plantedKey: string; getFiles(): Record<string, string>; setFiles(f: Record<string, string>): void };
    // The solution is a file of its own, not part of the page's HTML.
    const url = (document.querySelector('lp-check-panel') as HTMLElement).dataset.solutionUrl!;
    const raw = await (await fetch(url)).text();
    const solution = JSON.parse(raw.replaceAll('{{PLANTED_KEY}}', ws.plantedKey)) as Record<string, string>;
    ws.setFiles(solution);
  });
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('2 of 3 checks passed', { timeout: 90_000 });
  await expect(page.getByText('Runs on: this browser only (in-browser engine)')).toBeVisible();
  await expect(page.locator('[data-lp-engine-reason]')).not.toContainText('WebContainer did not start');
  await expect(row(page, 'bundle-clean')).toHaveAttribute('data-status', 'pass');
  await expect(row(page, 'proxy-answers')).toHaveAttribute('data-status', 'skipped');
  await expect(summary(page)).not.toContainText('Chapter complete');
});

test('with no engine asked for, an isolated static page tries WebContainer first, with the default 15 s limit', async ({ page }) => {
  test.setTimeout(180_000);
  await openWorkspace(page, '');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  // While it waits, the learner sees the boot progress.
  await expect(page.locator('[data-lp-progress-label]')).toHaveText('booting WebContainer', { timeout: 10_000 });
  await expect(summary(page)).toContainText('1 of 3 checks passed', { timeout: 150_000 });
  await expect(page.locator('[data-lp-engine-reason]')).toContainText('WebContainer did not start within 15 s');
  await expect(page.getByText('Runs on: this browser only (in-browser engine)')).toBeVisible();
});

test('a host that sends no isolation headers (e.g. GitHub Pages): WebContainer is not tried, the in-browser engine runs', async ({ page }) => {
  test.setTimeout(120_000);
  // Strip the isolation headers from every response, as a host that cannot set headers would.
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await openWorkspace(page, '');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('1 of 3 checks passed', { timeout: 90_000 });
  await expect(page.locator('[data-lp-engine-reason]')).toContainText('WebContainer is not used: WebContainer needs a cross-origin isolated page');
  await expect(row(page, 'bundle-clean')).toHaveAttribute('data-status', 'fail');
  expect(requests.some((u) => /stackblitz|webcontainer/.test(u))).toBe(false);
});
