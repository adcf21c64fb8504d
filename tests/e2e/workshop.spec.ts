// A workshop in Chromium: a facilitator and three learners in one room, on SQLite and on
// PostgreSQL. Learners join (link and home page field), fail, pass; the facilitator sees it live,
// sees a stuck flag, releases the solution, sends a message, exports CSV and the completion
// records (which `leakproof verify` accepts with the room's printed key). The service restarts in
// the middle (nothing lost), and bad input (wrong code, forged token, oversized and malformed
// events, another room's ids) is refused with a reason while the room's data stays as it was.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openChapterWorkspace, typeInMonaco } from './helpers/workspace.ts';
import { startWorkshop, type RunningWorkshop } from './helpers/workshop-service.ts';
import { freshPostgres, freshSqlite, type TestDatabase } from '../unit/workshop/databases.ts';

const chapter = '02-fixture-paste';
const FIXED = "const apiKey = process.env.OPENAI_API_KEY ?? '';\nconsole.log(apiKey.startsWith('sk-proj-') ? 'key loaded: yes' : 'key loaded: no');\n";
const portBase = Number(process.env.LEAKPROOF_E2E_PORT_BASE || 4391) + 40;
/** The course the workshop project's site is built from: the service issues records against it too. */
const LESSONS = 'tests/fixtures/exercises';
const ROOT = join(import.meta.dirname, '..', '..');

test.describe.configure({ timeout: 420_000 });

async function learner(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, acceptDownloads: true });
  return context.newPage();
}

const cell = (f: Page, name: string) => f.locator(`tr[data-learner-name="${name}"] td[data-chapter="${chapter}"]`);

async function check(page: Page, expected: RegExp) {
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.locator('[data-lp-summary]')).toContainText(expected, { timeout: 90_000 });
}

/**
 * What the room holds, read through the facilitator API (the CSV), to compare before and after.
 * Minutes on a chapter still running grow with the clock: left out of the comparison.
 */
async function roomCsv(f: Page): Promise<string> {
  const csv = await f.evaluate(async () => {
    const secret = sessionStorage.getItem('leakproof:workshop:facilitator');
    return (await fetch('/api/facilitator/export.csv', { headers: { authorization: `Bearer ${secret}` } })).text();
  });
  return csv
    .split('\r\n')
    .map((row) => row.split(',').map((v, i) => (i === 5 ? '…' : v)).join(','))
    .join('\n');
}

for (const [index, kind] of (['sqlite', 'postgres'] as const).entries()) {
  test.describe(`workshop on ${kind}`, () => {
    let db: TestDatabase;
    let service: RunningWorkshop;
    const port = portBase + index;
    let course = '';
    const start = (extra: string[] = []) => startWorkshop(['--port', String(port), '--db', db.spec, '--course', course, '--lessons', LESSONS, ...extra]);

    test.beforeAll(async () => {
      db = kind === 'sqlite' ? await freshSqlite() : await freshPostgres();
    });
    test.afterAll(async () => {
      await service?.stop();
      await db?.drop();
    });

    test('a facilitator and three learners: join, fail, pass, stuck, restart, release, message, CSV, bad input, leave, completion records', async ({ browser, baseURL }) => {
      course = baseURL!;
      service = await start();
      const recordsKey = service.recordsKey; // the first room's: the facilitator page stays on it
      const f = await (await browser.newContext({ acceptDownloads: true })).newPage();

      await test.step('the facilitator opens the printed link; the secret leaves the address bar', async () => {
        await f.goto(service.facilitatorUrl);
        await expect(f.locator('[data-connection]')).toHaveText('Live');
        await expect(f.locator('h1 [data-code]')).toHaveText(service.code);
        expect(f.url()).not.toContain('secret');
        await expect(f.locator('[data-join-link]')).toHaveAttribute('href', new RegExp(`room=${service.code}`));
      });

      const ada = await learner(browser, course);
      const grace = await learner(browser, course);
      const linus = await learner(browser, course);

      await test.step('three learners join: two by the link, one by typing the code on the home page', async () => {
        const link = await f.locator('[data-join-link]').getAttribute('href');
        for (const [page, name] of [
          [ada, 'Ada'],
          [linus, 'Linus'],
        ] as const) {
          await page.goto(link!);
          await expect(page.getByLabel('Room code')).toHaveValue(service.code);
          await page.getByLabel('Your display name').fill(name);
          await page.getByRole('button', { name: 'Join the room' }).click();
          await expect(page.locator('[data-lp-ws-joined]')).toContainText(`You are in workshop room ${service.code} as ${name}`);
        }
        await grace.goto('/');
        await grace.getByLabel('Room code').fill('ZZZZZ2');
        await grace.getByLabel('Your display name').fill('Grace');
        await grace.getByLabel('Workshop address').fill(service.url);
        await grace.getByRole('button', { name: 'Join the room' }).click();
        await expect(grace.locator('[data-lp-ws-join-error]')).toHaveText('There is no room with the code ZZZZZ2. Check the code with your facilitator.');
        await grace.getByLabel('Room code').fill(service.code.toLowerCase());
        await grace.getByRole('button', { name: 'Join the room' }).click();
        await expect(grace.locator('[data-lp-ws-bar]')).toContainText(`In workshop room ${service.code} as Grace`);
        await expect(f.locator('[data-learner-count]')).toHaveText('(3 in the room)');
      });

      await test.step('Ada fails, then passes; the facilitator sees both live', async () => {
        await openChapterWorkspace(ada, chapter);
        await expect(cell(f, 'Ada')).toHaveAttribute('data-status', 'working'); // opening the exercise counts
        await check(ada, /1 of 2 checks passed/);
        await expect(cell(f, 'Ada')).toContainText('1 attempt');
        await expect(cell(f, 'Ada')).toContainText('fails most: key-not-committed (1×)');
        await expect(f.locator(`.chapter[data-chapter="${chapter}"]`)).toContainText('key-not-committed: failing for 1 learner');
        await typeInMonaco(ada, 'app.mjs', FIXED);
        await check(ada, /All 2 checks passed/);
        await expect(cell(f, 'Ada')).toHaveAttribute('data-status', 'passed');
        await expect(cell(f, 'Ada')).toContainText('2 attempts');
        await expect(cell(f, 'Linus')).toHaveText('not started');
      });

      await test.step('Grace fails the same check three times: stuck, and in a room no solution is offered', async () => {
        await openChapterWorkspace(grace, chapter);
        for (let i = 1; i <= 3; i++) {
          await check(grace, /1 of 2 checks passed/);
          await expect(cell(f, 'Grace')).toContainText(`${i} attempt`);
        }
        await expect(cell(f, 'Grace').locator('[data-stuck="same-check"]')).toHaveText('stuck');
        await expect(grace.getByRole('button', { name: 'Compare with a solution' })).toBeHidden();
        // The facilitator page with a full room has no serious accessibility problem.
        const axe = await new AxeBuilder({ page: f }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
        expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
      });

      const before = await roomCsv(f);

      await test.step('the service restarts (and opens a second room): nothing is lost, the page reconnects', async () => {
        await service.stop();
        await expect(f.locator('[data-connection]')).toHaveText('Connection lost: reconnecting…');
        // Linus checks while the service is down: the result waits in his page's outbox.
        await openChapterWorkspace(linus, chapter);
        await check(linus, /1 of 2 checks passed/);
        await expect.poll(() => linus.evaluate(() => JSON.parse(localStorage.getItem('leakproof:workshop:outbox') ?? '[]').length)).toBe(2); // open + check
        const first = service;
        service = await start(['--new-room']);
        expect(service.code).not.toBe(first.code);
        await expect(f.locator('[data-connection]')).toHaveText('Live', { timeout: 30_000 });
        await expect(cell(f, 'Ada')).toHaveAttribute('data-status', 'passed');
        // The learners' tokens still work: Linus's result arrives once the service is back.
        await expect(cell(f, 'Linus')).toContainText('1 attempt', { timeout: 30_000 });
        await expect.poll(() => linus.evaluate(() => localStorage.getItem('leakproof:workshop:outbox'))).toBeNull();
        // Everything from before the restart is still there, unchanged.
        const after = (await roomCsv(f)).split('\n').filter((row) => !row.startsWith('Linus,'));
        expect(after).toEqual(before.split('\n').filter((row) => !row.startsWith('Linus,')));
      });

      await test.step('the facilitator releases the solution: Grace is offered it at once', async () => {
        await f.getByRole('button', { name: `Release the solution of ${chapter}` }).click();
        await expect(f.locator(`.chapter[data-chapter="${chapter}"]`)).toContainText('Solution released to the room.');
        await expect(grace.getByRole('button', { name: 'Compare with a solution' })).toBeVisible();
        await expect(linus.getByRole('button', { name: 'Compare with a solution' })).toBeVisible();
      });

      await test.step('a one-line message reaches every learner', async () => {
        await f.getByLabel('One line to every learner').fill('Break until 11:00');
        await f.getByRole('button', { name: 'Send' }).click();
        for (const p of [ada, grace, linus]) await expect(p.locator('[data-lp-ws-message]')).toHaveText('Facilitator: Break until 11:00');
      });

      await test.step('bad input is refused with a reason and the room stays as it was', async () => {
        const snapshot = await roomCsv(f);
        const results = await linus.evaluate(async (svc) => {
          const m = JSON.parse(localStorage.getItem('leakproof:workshop')!);
          const post = async (body: string, token: string) => {
            const r = await fetch(`${svc}/api/learner/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
            return `${r.status} ${(await r.json()).error}`;
          };
          const good = { kind: 'check', chapter: '02-fixture-paste', passed: true, engine: 'local', durationMs: 5, checks: [{ id: 'app-runs', status: 'pass' }] };
          return {
            forged: await post(JSON.stringify(good), 'A'.repeat(32)),
            oversized: await post(JSON.stringify({ ...good, pad: 'x'.repeat(50_000) }), m.token),
            malformed: await post('{"kind":"check"', m.token),
            withFiles: await post(JSON.stringify({ ...good, files: { 'app.mjs': '…' } }), m.token),
            badChapter: await post(JSON.stringify({ ...good, chapter: '../etc/passwd' }), m.token),
          };
        }, service.url);
        expect(results.forged).toMatch(/^401 This learner token is not valid in any room/);
        expect(results.oversized).toMatch(/^413 The body is \d+ bytes or more; the limit is 8192 bytes/);
        expect(results.malformed).toMatch(/^400 The body is not valid JSON/);
        expect(results.withFiles).toMatch(/^400 .*no field "files".*never files, keys or output/);
        expect(results.badChapter).toMatch(/^400 chapter: a chapter id is lower-case letters/);
        // Another room's ids: the new room's facilitator asks for a learner of the first room.
        const other = await f.evaluate(async ({ url, secret }) => {
          const r = await fetch(`${url}/api/facilitator/learners/1/events`, { headers: { authorization: `Bearer ${secret}` } });
          return `${r.status} ${(await r.json()).error}`;
        }, { url: service.url, secret: new URL(service.facilitatorUrl).hash.replace('#secret=', '') });
        expect(other).toBe('404 There is no learner 1 in this room.');
        // A learner of the second room reports into the second room only.
        const second = await learner(browser, course);
        await second.goto(`/?room=${service.code}&workshop=${encodeURIComponent(service.url)}`);
        await second.getByLabel('Your display name').fill('Outsider');
        await second.getByRole('button', { name: 'Join the room' }).click();
        await expect(second.locator('[data-lp-ws-joined]')).toContainText('as Outsider');
        await openChapterWorkspace(second, chapter);
        await check(second, /1 of 2 checks passed/);
        expect(await roomCsv(f)).toBe(snapshot);
        await expect(f.locator('tr[data-learner-name="Outsider"]')).toHaveCount(0);
        await second.context().close();
      });

      await test.step('CSV export: one row per learner × chapter', async () => {
        const [download] = await Promise.all([f.waitForEvent('download'), f.getByRole('button', { name: 'Export CSV' }).click()]);
        expect(download.suggestedFilename()).toMatch(/^leakproof-workshop-[A-Z0-9]{6}\.csv$/);
        const rows = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
        expect(rows[0]).toBe('learner,chapter,status,attempts,most_failing_check,minutes_on_chapter,stuck,started_at,passed_at,left_room');
        expect(rows).toHaveLength(1 + 3);
        expect(rows.find((r) => r.startsWith('Ada,'))).toMatch(new RegExp(`^Ada,${chapter},passed,2,key-not-committed,`));
        expect(rows.find((r) => r.startsWith('Grace,'))).toMatch(new RegExp(`^Grace,${chapter},working,3,key-not-committed,[\\d.]+,same-check,`));
        expect(rows.find((r) => r.startsWith('Linus,'))).toMatch(new RegExp(`^Linus,${chapter},working,1,key-not-committed,`));
      });

      await test.step('a learner leaves the room: the bar goes, the facilitator sees it', async () => {
        await linus.getByRole('button', { name: 'Leave the room' }).click();
        await expect(linus.locator('[data-lp-ws-bar]')).toBeHidden();
        await expect(f.locator('tr[data-learner-name="Linus"] th')).toHaveClass('left');
        await expect(f.locator('[data-learner-count]')).toHaveText('(2 in the room, 1 left)');
        // Without a room, the solution offer is back to "after three failed attempts".
        await expect(linus.getByRole('button', { name: 'Compare with a solution' })).toBeHidden();
      });
      await test.step('completion records: only Ada passed; leakproof verify accepts the download with the room key', async () => {
        await expect(f.locator('[data-records-key]')).toHaveText(recordsKey); // shown to publish, as printed
        const [download] = await Promise.all([f.waitForEvent('download'), f.getByRole('button', { name: 'Export completion records' }).click()]);
        expect(download.suggestedFilename()).toMatch(/^leakproof-records-[A-Z0-9]{6}\.json$/);
        const file = (await download.path())!;
        const records = JSON.parse(await readFile(file, 'utf8')).records.map((e: { record: { learner: string; chapters: Array<{ id: string; engine: string }> } }) => e.record);
        expect(records.map((r: { learner: string }) => r.learner)).toEqual(['Ada']);
        expect(records[0].chapters.map((c: { id: string }) => c.id)).toEqual([chapter]);
        const verify = (key: string) => {
          try {
            return { code: 0, out: execFileSync(process.execPath, ['bin/leakproof.mjs', 'verify', file, '--lessons', LESSONS, '--key', key], { encoding: 'utf8', cwd: ROOT }) };
          } catch (e) {
            const err = e as { status: number; stdout: string; stderr: string };
            return { code: err.status, out: err.stdout + err.stderr };
          }
        };
        const ok = verify(recordsKey);
        expect(ok.out).toMatch(/1\. Ada, 1 chapter\(s\) passed: verifies/);
        expect(ok.code).toBe(0);
        // The second room's key (printed by the restart) is not this room's.
        expect(verify(service.recordsKey).code).toBe(1);
      });
      for (const p of [ada, grace, linus, f]) await p.context().close();
    });
  });
}
