// A workshop learner on a static deploy (cross-origin isolated page, no local engine): joining and
// reporting cross origins under COEP, and the in-browser engine's results reach the room like the
// local engine's (tests/e2e/workshop.spec.ts).
import { expect, test } from '@playwright/test';
import { startWorkshop, type RunningWorkshop } from './helpers/workshop-service.ts';
import { freshSqlite, type TestDatabase } from '../unit/workshop/databases.ts';

const chapter = '01-hosted-vite-key';
let db: TestDatabase;
let service: RunningWorkshop;

test.afterAll(async () => {
  await service?.stop();
  await db?.drop();
});

test('in a room, the in-browser engine reports its check results to the facilitator', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  db = await freshSqlite();
  service = await startWorkshop(['--port', String(Number(process.env.LEAKPROOF_E2E_PORT_BASE || 4391) + 45), '--db', db.spec, '--course', baseURL!]);
  await page.goto(`/?room=${service.code}&workshop=${encodeURIComponent(service.url)}`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByLabel('Your display name').fill('Hosted learner');
  await page.getByRole('button', { name: 'Join the room' }).click();
  await expect(page.locator('[data-lp-ws-joined]')).toContainText(`You are in workshop room ${service.code}`);

  await page.goto(`/chapters/${chapter}/?engine=in-browser`);
  await page.waitForFunction(() => !!customElements.get('lp-workspace'));
  await page.evaluate(() => void (document.querySelector('lp-workspace') as unknown as { open(): Promise<void> }).open());
  await page.waitForFunction(() => (document.querySelector('lp-workspace') as unknown as { ready?: boolean } | null)?.ready === true);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByText('Runs on: this browser only (in-browser engine)')).toBeVisible({ timeout: 120_000 });
  await expect(page.locator('[data-lp-summary]')).toContainText(/checks passed/, { timeout: 120_000 });

  const secret = new URL(service.facilitatorUrl).hash.replace('#secret=', '');
  await expect
    .poll(async () => {
      const r = await fetch(`${service.url}/api/facilitator/learners/1/events`, { headers: { authorization: `Bearer ${secret}` } });
      return ((await r.json()) as { events: Array<{ event: { kind: string; engine?: string; chapter: string } }> }).events.find((e) => e.event.kind === 'check')?.event;
    })
    .toMatchObject({ chapter, engine: 'in-browser' });
});
