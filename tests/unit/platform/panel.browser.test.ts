// The dashboard panel in a real Chromium: PlatformPanel.astro's markup (extracted from the
// component, so the test follows the real template) plus lp-platform-panel.ts bundled by esbuild,
// driving a real platform. Skipped where Debian's Chromium is not installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import OpenAI from 'openai';
import { startFixture, PROJECT, type Fixture } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const dir = join(import.meta.dirname, '../../../src/components/platform');

/** The component's template with its Astro expressions resolved for `simulate` and all sections. */
function panelMarkup(): string {
  const source = readFileSync(join(dir, 'PlatformPanel.astro'), 'utf8');
  let html = source.split('---')[2]!;
  html = html.slice(0, html.indexOf('<script>'));
  html = html.replace(/\{(show\('\w+'\)|simulate) && \(/g, '').replaceAll(')}', '');
  html = html.replace('{title}', 'Platform dashboard (mock)');
  html = html.replace(/([\w-]+)=\{`\$\{id\}-([\w-]+)`\}/g, '$1="lp-$2"');
  html = html.replace(/ style=\{`[^`]*`\}/g, '');
  html = html.replace(/ data-url=\{url\} data-control-token=\{controlToken\} data-simulate=\{[^}]*\}/, ' data-simulate');
  if (html.includes('{')) throw new Error(`PlatformPanel.astro has template expressions this test does not resolve: ${html.split('\n').filter((l) => l.includes('{')).join('\n')}`);
  return html;
}

describe.skipIf(!existsSync(CHROMIUM))('PlatformPanel in Chromium', () => {
  let f: Fixture;
  let site: Server;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    f = await startFixture();
    const bundle = await build({ entryPoints: [join(dir, 'lp-platform-panel.ts')], bundle: true, format: 'esm', write: false, target: 'es2022' });
    const js = bundle.outputFiles[0]!.text;
    const css = readFileSync(join(dir, 'platform-panel.css'), 'utf8');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>panel</title><style>${css}</style></head><body>${panelMarkup()}<script type="module" src="/panel.js"></script></body></html>`;
    site = createServer((req, res) => {
      const isJs = req.url === '/panel.js';
      res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html' });
      res.end(isJs ? js : html);
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${(site.address() as { port: number }).port}/`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await f?.platform.close();
    site?.close();
  });

  it('waits for the engine, then connects on lp-platform-ready', async () => {
    await page.locator('[data-lp-body]').waitFor({ state: 'hidden' });
    await page.evaluate((c) => document.dispatchEvent(new CustomEvent('lp-platform-ready', { detail: c })), { url: f.platform.url, controlToken: f.platform.controlToken });
    await page.getByText('Connected to your exercise').waitFor();
    expect(await page.getByRole('row', { name: /planted key/ }).count()).toBe(1);
  }, 30_000);

  it('charts usage per key as calls arrive', async () => {
    const client = f.client();
    for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await page.locator('[data-lp-chart] svg polyline').waitFor();
    await page.getByRole('combobox', { name: /Show/ }).selectOption('requests');
    await page.locator('.lp-platform__legend').filter({ hasText: '3 requests' }).waitFor();
  }, 30_000);

  it('creates a restricted key whose value is shown once and works', async () => {
    await page.getByText('Create a new secret key').click();
    await page.getByLabel('Restricted').check();
    await page.getByRole('button', { name: 'Create secret key' }).click();
    const value = (await page.locator('[data-lp-new-key-value]').filter({ hasText: 'sk-proj-' }).textContent())!;
    const key = f.platform.state.keyByValue(value)!;
    expect(key.scopes).toEqual(['model.request']);
    await f.client(value).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('[data-lp-new-key]').waitFor({ state: 'hidden' });
  }, 30_000);

  it('saves allowed models and a hard spend limit, and shows the attacker stopped', async () => {
    const form = page.locator('form[data-lp-project]');
    await form.getByLabel('All models').uncheck();
    await form.getByLabel('gpt-4.1', { exact: true }).uncheck();
    await form.getByLabel(/Hard spend limit/).fill('0.5');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await page.locator('[data-lp-projects]').filter({ hasText: 'of $0.50 (hard limit)' }).waitFor();
    const project = f.platform.state.project(PROJECT)!;
    expect(project.spendLimitUsd).toBe(0.5);
    expect(project.modelPermissions?.modelIds).not.toContain('gpt-4.1');
    await page.getByRole('button', { name: 'Simulate an attacker using the leaked key' }).click();
    await page.locator('[data-lp-events]').filter({ hasText: 'Simulated attack: 40 calls to gpt-4.1' }).waitFor();
    await page.locator('[data-lp-refused]').filter({ hasText: 'model_not_found ×40' }).waitFor();
  }, 30_000);

  it('creates a project, a service-account key in it, and alerts with their emails (chapter 4)', async () => {
    await page.getByText('Create a new project').click();
    await page.locator('form[data-lp-create-project]').getByLabel('Name').fill('Nightly report');
    await page.getByRole('button', { name: 'Create project' }).click();
    const box = page.locator('[data-project-box]').filter({ hasText: 'Nightly report' });
    await box.waitFor();
    const projectId = [...f.platform.state.projects.values()].find((p) => p.name === 'Nightly report')!.id;
    await box.getByLabel(/Hard spend limit/).fill('5');
    await box.getByLabel(/Spend alerts/).fill('2');
    await box.getByLabel('Alert emails (comma separated)').fill('team@example.com');
    await box.getByRole('button', { name: 'Save limits' }).click();
    await expect.poll(() => f.platform.state.project(projectId)!.spendAlerts.map((a) => a.recipients), { timeout: 5000 }).toEqual([['team@example.com']]);
    expect(f.platform.state.project(projectId)!.spendLimitUsd).toBe(5);

    const form = page.locator('form[data-lp-create-key]');
    await form.getByLabel('Name').fill('report job');
    await form.locator('select[name="projectId"]').selectOption(projectId);
    await form.getByLabel(/A service account/).check();
    await form.getByRole('button', { name: 'Create secret key' }).click();
    const value = (await page.locator('[data-lp-new-key-value]').filter({ hasText: 'sk-svcacct-' }).textContent())!;
    const key = f.platform.state.keyByValue(value)!;
    expect(key).toMatchObject({ kind: 'service_account', projectId });
    expect(f.platform.state.serviceAccounts.get(key.serviceAccountId!)?.name).toBe('report job');
    await page.getByRole('button', { name: 'Done' }).click();
  }, 30_000);

  it('rotates and revokes a key; a partner alert lands in the feed', async () => {
    await page.getByRole('button', { name: 'Simulate a partner alert' }).click();
    await page.locator('[data-lp-events]').filter({ hasText: 'Partner alert: GitHub secret scanning found your key' }).waitFor();
    await page.getByRole('row', { name: /planted key/ }).getByRole('button', { name: 'Rotate' }).click();
    await expect.poll(() => page.getByRole('row', { name: /planted key/ }).count()).toBe(2);
    const original = f.platform.state.findKey(f.key)!;
    await page.getByRole('row', { name: new RegExp(`planted key.*${original.value.slice(-4)}`) }).getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => original.status).toBe('revoked');
    const err = await f.client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
  }, 30_000);

  it('keeps the key list steady while calls stream in: focus stays on its button, a slow press still revokes', async () => {
    // An active key that calls can use, and its row's Revoke button.
    // (Earlier tests restricted and limited some keys and projects: take one whose calls go through.)
    const chat = (value: string) => f.client(value, { maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    let key: { id: string; value: string } | undefined;
    for (const k of f.platform.state.keys.values()) {
      if (k.status !== 'active' || k.kind === 'admin') continue;
      if (await chat(k.value).then(() => true, () => false)) {
        key = k;
        break;
      }
    }
    expect(key, 'an active key whose calls go through').toBeDefined();
    const call = () => chat(key!.value);
    await page.waitForTimeout(700);
    const revoke = page.locator(`[data-lp-keys] button[data-action="revoke"][data-key="${key!.id}"]`);
    const tagged = () => revoke.evaluate((b) => (b as HTMLElement & { tagged?: boolean }).tagged === true);
    await revoke.evaluate((b) => void ((b as HTMLElement & { tagged?: boolean }).tagged = true));
    // A refresh with nothing new for the list (an event in the feed) leaves its buttons in place.
    await page.getByRole('button', { name: 'Simulate a partner alert' }).click();
    await page.waitForTimeout(700);
    expect(await tagged()).toBe(true);
    // A refresh that redraws the list (its calls count changes) gives keyboard focus back to Revoke.
    await revoke.focus();
    for (let i = 0; i < 3; i++) await call();
    await expect.poll(tagged).toBe(false);
    expect(await page.evaluate(() => [(document.activeElement as HTMLElement | null)?.dataset.action, (document.activeElement as HTMLElement | null)?.dataset.key])).toEqual(['revoke', key!.id]);
    // A press that lasts while calls arrive is not swallowed by a redraw under the pointer.
    const box = (await revoke.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 0; i < 3; i++) await call();
    await page.waitForTimeout(700);
    await page.mouse.up();
    await expect.poll(() => f.platform.state.keys.get(key!.id)?.status).toBe('revoked');
  }, 30_000);

  it('says so when the platform stops, with no page errors', async () => {
    await page.evaluate(() => document.dispatchEvent(new CustomEvent('lp-platform-closed')));
    await page.locator('[data-lp-status]').filter({ hasText: 'The exercise platform stopped' }).waitFor();
    expect(errors).toEqual([]);
  });
});
