// Chapter 4 of the real course, end to end on the local engine, the dashboard way: the starter (one
// shared all-powerful key) fails; the learner follows the chapter's steps in the dashboard panel
// (two projects with allow-lists, limits and alerts, a restricted key each, the report's owned by a
// service account, the shared key revoked), pastes the keys into each app's .env in Monaco, and
// every check passes. Then axe on the page, panel connected, light and dark.
import { expect, test, type Page } from '@playwright/test';
import { openChapterWorkspace, typeInMonaco } from './helpers/workspace.ts';
import { expectNoSeriousA11yViolations } from './helpers/axe.ts';

const chapter = '04-dashboard-limits';
test.setTimeout(400_000);

const summary = (page: Page) => page.locator('[data-lp-summary]');
const check = (page: Page, id: string) => page.locator(`[data-check-id="${id}"]`);

async function createProject(page: Page, name: string, model: string, limit: string, alert: string) {
  const panel = page.locator('lp-platform-panel');
  const details = panel.locator('details:has(form[data-lp-create-project])');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
  await details.locator('form[data-lp-create-project]').getByLabel('Name').fill(name);
  await details.getByRole('button', { name: 'Create project' }).click();
  const box = panel.locator('[data-project-box]').filter({ hasText: name });
  await expect(box).toBeVisible({ timeout: 10_000 });
  await box.getByLabel('All models').uncheck();
  for (const other of await box.locator('input[name="model"]').all()) {
    if ((await other.getAttribute('value')) !== model) await other.uncheck();
  }
  await box.getByLabel(/Hard spend limit/).fill(limit);
  await box.getByLabel(/Spend alerts/).fill(alert);
  await box.getByLabel('Alert emails (comma separated)').fill('team@example.com');
  await box.getByRole('button', { name: 'Save limits' }).click();
  await expect(panel.locator('[data-project-box]').filter({ hasText: name })).toContainText(`(hard limit`, { timeout: 10_000 });
}

async function createKey(page: Page, name: string, project: string, owner: RegExp): Promise<string> {
  const panel = page.locator('lp-platform-panel');
  const details = panel.locator('details:has(form[data-lp-create-key])');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
  const form = details.locator('form[data-lp-create-key]');
  await form.getByLabel('Name').fill(name);
  const option = await form.locator('select[name="projectId"] option', { hasText: project }).getAttribute('value');
  await form.locator('select[name="projectId"]').selectOption(option!);
  await form.getByLabel(owner).check();
  await form.getByLabel('Restricted').check();
  await expect(form.getByLabel(/Model capabilities: Request/)).toBeChecked();
  await form.getByRole('button', { name: 'Create secret key' }).click();
  const shown = panel.locator('[data-lp-new-key-value]');
  await expect(shown).toHaveText(/^sk-(proj|svcacct)-/);
  const value = (await shown.textContent())!;
  await panel.getByRole('button', { name: 'Done' }).click();
  return value;
}

test('chapter 4: one shared key fails; the dashboard way (projects, limits, restricted keys) passes every check', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openChapterWorkspace(page, chapter);
  const shared = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as { plantedKey: string }).plantedKey);

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('of 11 checks passed. First problem:', { timeout: 300_000 });
  await expect(check(page, 'own-projects')).toHaveAttribute('data-status', 'fail');
  await expect(check(page, 'chatbot-models')).toHaveAttribute('data-status', 'fail');
  await expect(check(page, 'revoke-chatbot-isolated')).toHaveAttribute('data-status', 'fail');

  const panel = page.locator('lp-platform-panel');
  await panel.scrollIntoViewIfNeeded();
  await expect(panel.locator('[data-lp-body]')).toBeVisible({ timeout: 30_000 });
  await createProject(page, 'Chatbot', 'gpt-4o-mini', '20', '10');
  await createProject(page, 'Nightly report', 'gpt-4o', '50', '25');
  const chatbotKey = await createKey(page, 'chatbot', 'Chatbot', /You \(a project key\)/);
  const reportKey = await createKey(page, 'nightly report', 'Nightly report', /A service account/);
  expect(reportKey).toMatch(/^sk-svcacct-/);
  const sharedRow = panel.locator('[data-lp-keys]').getByRole('row', { name: /shared key \(both apps\)/ });
  await sharedRow.getByRole('button', { name: 'Revoke' }).click();
  await expect(sharedRow).toContainText('revoked');

  await typeInMonaco(page, 'chatbot/.env', `OPENAI_API_KEY=${chatbotKey}\n`);
  await typeInMonaco(page, 'report/.env', `OPENAI_API_KEY=${reportKey}\n`);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('All 11 checks passed', { timeout: 300_000 });
  const text = await page.locator('lp-check-panel').innerText();
  for (const k of [shared, chatbotKey, reportKey]) expect(text).not.toContain(k);

  // The check's own revoke-and-restore of the chatbot's key shows in the dashboard's events.
  await expect(panel.locator('[data-lp-events]')).toContainText('restored', { timeout: 30_000 });
  await page.setViewportSize({ width: 390, height: 844 });
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('chapter4-panel-390.png') });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: test.info().outputPath('chapter4-panel-1280.png') });
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const c of ['04-dashboard-limits', '07-key-rotation']) {
    test(`no serious accessibility violation: chapter ${c}, dashboard connected, ${colorScheme}`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme });
      await openChapterWorkspace(page, c);
      await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
      const panel = page.locator('lp-platform-panel');
      await panel.scrollIntoViewIfNeeded();
      await expect(panel.locator('[data-lp-body]')).toBeVisible({ timeout: 60_000 });
      await expectNoSeriousA11yViolations(page, `${c} (${colorScheme})`);
    });
  }
}
