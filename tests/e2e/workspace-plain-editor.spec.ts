// The plain text editor that takes typing the moment the exercise opens, and Monaco taking over from
// it: same file, every typed character, the caret and the focus. Monaco's script is held back with a
// route so the plain editor's time is not a race; and, cut off, Monaco must leave the plain editor working.
import { expect, test, type Page } from '@playwright/test';
import { chapterPath } from './helpers/site.ts';
import { expectNoSeriousA11yViolations } from './helpers/axe.ts';

const CHAPTER = chapterPath('01-first-steps');

type WsElement = HTMLElement & {
  getFiles(): Record<string, string>;
  editor: { text(path: string): string | undefined; activePath: string | null } | null;
};

const files = (page: Page) => page.evaluate(() => (document.querySelector('lp-workspace') as WsElement).getFiles());
const activePath = (page: Page) => page.evaluate(() => (document.querySelector('lp-workspace') as WsElement).editor?.activePath ?? null);
const whichEditor = (page: Page) => page.evaluate(() => (document.querySelector('lp-workspace') as HTMLElement).dataset.editor ?? null);

/** Holds back the editor bundle's entry script until the returned function is called. */
async function holdMonaco(page: Page): Promise<() => void> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/_leakproof\/editor\/editor-[^/]+\.js$/, async (route) => {
    await gate;
    await route.continue();
  });
  return release;
}

/** Opens the exercise with Monaco held back; the plain editor has focus. */
async function openWithMonacoHeld(page: Page) {
  const release = await holdMonaco(page);
  await page.goto(CHAPTER);
  await page.getByRole('button', { name: 'Open the exercise' }).click();
  const plain = page.locator('lp-workspace [data-lp-plain-editor]');
  await expect(plain).toBeFocused();
  const path = (await activePath(page))!;
  return { release, plain, path, starter: (await files(page))[path]! };
}

test.describe('plain text editor first, then Monaco', () => {
  test.use({ viewport: { width: 480, height: 640 } });

  test('takes typing at once; Monaco takes over with the same text, caret and focus', async ({ page }) => {
    const { release, plain, path, starter } = await openWithMonacoHeld(page);
    expect(await whichEditor(page)).toBe('plain');
    await expect(page.locator('lp-workspace .monaco-editor')).toHaveCount(0);
    // The project's starting point (its entry file: it has no README), with its text (the planted key in place of the placeholder).
    expect(path).toBe('index.js');
    await expect(plain).toHaveValue(starter);
    await expect(plain).toHaveAccessibleName(`Editing ${path} as plain text while the full editor loads`);
    await expect(page.locator('lp-workspace [data-lp-status]')).toContainText('you can type already');

    // Type at the very start: the caret must come along to Monaco.
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('AB');
    await expect.poll(async () => (await files(page))[path]).toBe('AB' + starter);

    release();
    await expect(page.locator('lp-workspace .monaco-editor')).toBeVisible();
    await expect.poll(() => whichEditor(page)).toBe('monaco');
    await expect(plain).toHaveCount(0);
    expect(await page.evaluate(() => document.activeElement?.closest('.monaco-editor') != null)).toBe(true);
    expect(await activePath(page)).toBe(path);
    // Typing goes on where it stopped: right after "AB", not at the top or the end of the file.
    await page.keyboard.type('C');
    await expect.poll(async () => (await files(page))[path]).toBe('ABC' + starter);
    await expect(page.locator('lp-workspace .lp-tab__open[aria-current="true"]')).toHaveText(path);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`no serious accessibility violation while the plain editor shows (${colorScheme} theme)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      const { release } = await openWithMonacoHeld(page);
      await expectNoSeriousA11yViolations(page, `plain editor (${colorScheme})`);
      release();
    });
  }

  test('a reset while Monaco loads shows the starter text in the plain editor', async ({ page }) => {
    const { release, plain, path, starter } = await openWithMonacoHeld(page);
    await page.keyboard.type('mine ');
    await expect(plain).toHaveValue('mine ' + starter);
    await page.getByRole('button', { name: 'Reset to starter' }).click();
    await page.getByRole('dialog', { name: 'Reset to the starter files?' }).getByRole('button', { name: 'Reset' }).click();
    await expect(plain).toHaveValue(starter);
    release();
    await expect.poll(() => whichEditor(page)).toBe('monaco');
    expect((await files(page))[path]).toBe(starter);
  });

  test('Monaco waits for an IME composition to end, and the composed text is kept', async ({ page }) => {
    const { release, plain, path, starter } = await openWithMonacoHeld(page);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'にほ', selectionStart: 2, selectionEnd: 2 });
    release();
    // Monaco's script arrives, but the hand-over waits while the composition is open.
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\/editor-[^/]+\.js$/.test(e.name) && (e as PerformanceResourceTiming).responseEnd > 0));
    await page.waitForTimeout(1500);
    expect(await whichEditor(page)).toBe('plain');
    await cdp.send('Input.insertText', { text: 'にほん' });
    await expect.poll(() => whichEditor(page)).toBe('monaco');
    expect((await files(page))[path]).toBe('にほん' + starter);
  });

  test('when Monaco cannot load, the plain editor stays and what is typed is saved', async ({ page }) => {
    await page.route(/\/_leakproof\/editor\/editor-[^/]+\.js$/, (route) => route.abort('connectionrefused'));
    await page.goto(CHAPTER);
    await page.getByRole('button', { name: 'Open the exercise' }).click();
    const plain = page.locator('lp-workspace [data-lp-plain-editor]');
    await expect(page.locator('lp-workspace [data-lp-alert]')).toContainText('You can keep editing as plain text');
    await expect(plain).toBeVisible();
    const path = (await activePath(page))!;
    await plain.press('Control+End');
    await page.keyboard.type('\nsaved without Monaco');
    await expect.poll(async () => (await files(page))[path]).toContain('saved without Monaco');
    await page.unroute(/\/_leakproof\/editor\/editor-[^/]+\.js$/);
    await page.reload();
    expect((await files(page))[path]).toContain('saved without Monaco');
  });
});
