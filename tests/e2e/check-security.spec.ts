// Issue 12 in real Chromium against the real course server (scripts/serve.mjs): a browser gets in
// only through the one-time sign-in link the server prints (written to its --sign-in-file here),
// a used link does not work twice, a page seen before signing in carries no engine token and
// says how to sign in, and another site cannot frame the course.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { openChapterWorkspace } from './helpers/workspace.ts';

test.describe.configure({ timeout: 120_000 });

const empty = { cookies: [], origins: [] };

test('a browser signs in with the one-time link; the link works once; before that the page has no token', async ({ browser, baseURL }) => {
  const state = test.info().project.use.storageState as string;
  const context = await browser.newContext({ storageState: empty, baseURL });
  const page = await context.newPage();
  await page.goto('/');
  expect(await page.locator('meta[name="leakproof-engine-token"]').count()).toBe(0);
  expect(await page.locator('meta[name="leakproof-engine-signin"]').count()).toBe(1);

  // The newest link the server printed (it prints a fresh one after each sign-in).
  const link = readFileSync(state.replace(/\.state\.json$/, '.sign-in'), 'utf8').trim();
  await page.goto(link);
  await expect(page).toHaveURL(`${baseURL}/`);
  expect(await page.locator('meta[name="leakproof-engine-token"]').getAttribute('content')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  const cookies = await context.cookies();
  const signIn = cookies.find((c) => c.name.startsWith('leakproof-'))!;
  expect(signIn).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  // The page's scripts cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain(signIn.value);

  // Signed in, the Check runs on the local engine.
  await openChapterWorkspace(page, '02-fixture-paste');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.locator('[data-lp-summary]')).toContainText('checks passed', { timeout: 60_000 });
  await expect(page.getByText('Runs on: your computer (local engine)')).toBeVisible();

  // The same link in another browser: used up.
  const other = await browser.newContext({ storageState: empty, baseURL });
  const second = await other.newPage();
  const res = await second.goto(link);
  expect(res?.status()).toBe(403);
  await expect(second.locator('body')).toContainText('already used');
  await other.close();
  await context.close();
});

test('another site cannot frame the course', async ({ page, baseURL }) => {
  // A hostile page on another origin (a real server on another loopback port: a public origin
  // would already be stopped by Chromium's Private Network Access) that frames the home page.
  const attacker = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe id="f" src="${baseURL}/" width="800" height="600"></iframe>`));
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  try {
    await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    await page.waitForTimeout(1500);
    const framed = page.frames().find((f) => f !== page.mainFrame())!;
    expect(framed).toBeTruthy();
    // Chromium refuses to render it (X-Frame-Options: DENY / frame-ancestors 'none'): an error page, no course.
    const text = await framed.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    expect(framed.url()).not.toBe(`${baseURL}/`);
    expect(text).not.toContain('Leakproof');
  } finally {
    attacker.close();
  }
});
