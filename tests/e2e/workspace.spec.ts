// The exercise workspace on a production build of the fixture course: Monaco loads only on open,
// typing autosaves and survives a reload, files can be created, reset asks and can be undone (also
// after a reload), and the keyboard can always leave the editor.
import { expect, test, type Page } from '@playwright/test';
import { chapterPath } from './helpers/site.ts';

const CHAPTER = chapterPath('01-first-steps');

type WsElement = HTMLElement & {
  getFiles(): Record<string, string>;
  editor: { text(path: string): string | undefined; activePath: string | null } | null;
};

const files = (page: Page) => page.evaluate(() => (document.querySelector('lp-workspace') as WsElement).getFiles());

/** Opens the workspace with its button and waits until Monaco shows a file. */
async function openExercise(page: Page) {
  // By selector, not by role: a role locator stops resolving the moment the button is hidden.
  const button = page.locator('lp-workspace [data-lp-open]');
  // Not a real click: once the workspace is scrolled into view Monaco loads by itself and the
  // button goes away when it is in, which a real click could wait on forever.
  if (await button.isVisible()) await button.dispatchEvent('click');
  await expect(page.locator('lp-workspace .monaco-editor')).toBeVisible();
  await expect(page.locator('lp-workspace .view-lines')).not.toBeEmpty();
}

/** Puts the cursor at the end of the open file and types a new line of text. */
async function typeAtEnd(page: Page, text: string) {
  await page.locator('lp-workspace .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text);
}

const insideEditor = (page: Page) => page.evaluate(() => document.activeElement?.closest('.monaco-editor') != null);

test.describe('workspace', () => {
  // Narrow and short: the workspace is below the prose and does not open by itself.
  test.use({ viewport: { width: 480, height: 640 } });

  test('loads Monaco only when opened, then holds typed text across a reload', async ({ page }) => {
    const editorRequests: string[] = [];
    page.on('request', (r) => r.url().includes('/_leakproof/editor/') && editorRequests.push(r.url()));
    await page.goto(CHAPTER);
    await expect(page.locator('lp-workspace')).toHaveJSProperty('ready', true);
    const headHasMonaco = await page.evaluate(() =>
      [...document.head.querySelectorAll('link[rel="stylesheet"], style')].some((e) => (e.getAttribute('href') ?? '').includes('_leakproof') || (e.textContent ?? '').includes('.monaco-editor')),
    );
    expect(headHasMonaco).toBe(false);
    expect(editorRequests).toEqual([]);

    await openExercise(page);
    expect(editorRequests.length).toBeGreaterThan(0);
    // The planted key replaced the placeholder in the starter.
    const start = await files(page);
    expect(Object.values(start).join('\n')).not.toContain('{{PLANTED_KEY}}');
    expect(Object.values(start).join('\n')).toMatch(/sk-proj-[A-Za-z0-9_-]{156}/);

    const active = await page.evaluate(() => (document.querySelector('lp-workspace') as WsElement).editor!.activePath!);
    await typeAtEnd(page, 'const typedByE2e = 42;');
    await expect.poll(async () => (await files(page))[active]).toContain('const typedByE2e = 42;');

    // Reload at once: the pending autosave is flushed on pagehide.
    await page.reload();
    expect((await files(page))[active]).toContain('const typedByE2e = 42;');
    await openExercise(page);
    const shown = await page.evaluate((p) => (document.querySelector('lp-workspace') as WsElement).editor!.text(p), active);
    expect(shown).toContain('const typedByE2e = 42;');
  });

  test('creates a file, rejecting a bad name with a clear message', async ({ page }) => {
    await page.goto(CHAPTER);
    await openExercise(page);
    await page.getByRole('button', { name: 'New file' }).click();
    const dialog = page.getByRole('dialog', { name: 'New file' });
    await expect(dialog).toBeVisible();
    const input = dialog.getByRole('textbox');
    await input.fill('../outside.txt');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toContainText('which would leave the project');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await input.fill('.gitignore');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('treeitem', { name: '.gitignore' })).toBeVisible();
    await expect(page.locator('lp-workspace .lp-tab__open[aria-current="true"]')).toHaveText('.gitignore');
    await page.keyboard.type('.env');
    await expect.poll(async () => (await files(page))['.gitignore']).toBe('.env');
    await page.reload();
    expect((await files(page))['.gitignore']).toBe('.env');
    // The tabs come back as they were left.
    await openExercise(page);
    await expect(page.locator('lp-workspace .lp-tab__open[aria-current="true"]')).toHaveText('.gitignore');
  });

  test('reset asks first, and undo restores the learner files exactly, also after a reload', async ({ page }) => {
    await page.goto(CHAPTER);
    await openExercise(page);
    await typeAtEnd(page, 'mine();');
    await page.getByRole('button', { name: 'New folder' }).click();
    await page.getByRole('dialog', { name: 'New folder' }).getByRole('textbox').fill('config');
    await page.getByRole('dialog', { name: 'New folder' }).getByRole('button', { name: 'Create' }).click();
    await expect(page.getByRole('treeitem', { name: 'config' })).toBeVisible();
    const mine = await files(page);
    const starter = await page.evaluate(() => (document.querySelector('lp-workspace') as HTMLElement & { starterFiles(): Record<string, string> }).starterFiles());
    expect(mine).not.toEqual(starter);

    // Cancel changes nothing.
    await page.getByRole('button', { name: 'Reset to starter' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset to the starter files?' });
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    expect(await files(page)).toEqual(mine);

    await page.getByRole('button', { name: 'Reset to starter' }).click();
    await confirm.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => files(page)).toEqual(starter);
    await expect(page.getByRole('treeitem', { name: 'config' })).toHaveCount(0);
    await expect(page.locator('lp-workspace .view-lines')).not.toContainText('mine();');

    // The undo snapshot is persisted: a reload keeps it.
    await page.reload();
    expect(await files(page)).toEqual(starter);
    await page.getByRole('button', { name: 'Undo reset' }).click();
    expect(await files(page)).toEqual(mine);
    await expect(page.getByRole('button', { name: 'Undo reset' })).toBeHidden();
    await openExercise(page);
    await expect(page.getByRole('treeitem', { name: 'config' })).toBeVisible();
  });

  test('Esc then Tab leaves the editor; Tab alone indents', async ({ page }) => {
    await page.goto(CHAPTER);
    await openExercise(page);
    await page.locator('lp-workspace .view-lines').click();
    expect(await insideEditor(page)).toBe(true);
    const active = await page.evaluate(() => (document.querySelector('lp-workspace') as WsElement).editor!.activePath!);
    const before = (await files(page))[active]!;
    await page.keyboard.press('Tab');
    expect(await insideEditor(page)).toBe(true);
    await expect.poll(async () => (await files(page))[active]!.length).toBeGreaterThan(before.length);

    await page.keyboard.press('Escape');
    await expect(page.getByText('Tab now moves to the next control')).toBeVisible();
    await page.keyboard.press('Tab');
    expect(await insideEditor(page)).toBe(false);

    // Typing again after Esc gives Tab back to the editor.
    await page.locator('lp-workspace .view-lines').click();
    await page.keyboard.press('Escape');
    await page.keyboard.type('x');
    await page.keyboard.press('Tab');
    expect(await insideEditor(page)).toBe(true);
  });

  test('the file tree works with the keyboard: arrows, Enter, F2, Delete with confirm', async ({ page }) => {
    await page.goto(CHAPTER);
    await openExercise(page);
    const tree = page.getByRole('tree', { name: 'Files' });
    await tree.getByRole('treeitem').first().focus();
    await expect(tree.getByRole('treeitem', { name: 'src' })).toBeFocused();
    await expect(tree.getByRole('treeitem', { name: 'src' })).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('ArrowLeft');
    await expect(tree.getByRole('treeitem', { name: 'src' })).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await expect(tree.getByRole('treeitem', { name: 'client.js' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    const next = tree.locator('[role="treeitem"]:focus');
    const name = (await next.textContent())!.replace(/^[·▸▾]/, '');
    await page.keyboard.press('Enter');
    await expect(page.locator('lp-workspace .lp-tab__open[aria-current="true"]')).toHaveText(name);

    await tree.getByRole('treeitem', { name }).focus();
    await page.keyboard.press('F2');
    const rename = page.getByRole('dialog', { name: 'Rename file' });
    await rename.getByRole('textbox').fill(`renamed-${name}`);
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expect(tree.getByRole('treeitem', { name: `renamed-${name}` })).toBeFocused();
    expect(Object.keys(await files(page))).toContain(`renamed-${name}`);

    await page.keyboard.press('Delete');
    const confirm = page.getByRole('dialog', { name: 'Delete file?' });
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(tree.getByRole('treeitem', { name: `renamed-${name}` })).toHaveCount(0);
    expect(Object.keys(await files(page))).not.toContain(`renamed-${name}`);
  });

  test('the editor follows the site theme', async ({ page }) => {
    await page.goto(CHAPTER);
    await openExercise(page);
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await expect(page.locator('lp-workspace .monaco-editor')).toHaveClass(/vs-dark/);
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    await expect(page.locator('lp-workspace .monaco-editor')).not.toHaveClass(/vs-dark/);
  });
});

test.describe('workspace storage', () => {
  test.use({ viewport: { width: 480, height: 640 } });

  test('a full storage is reported clearly and the typed text stays in the editor', async ({ page }) => {
    // Simulate a full localStorage for saved files only (the page itself keeps working).
    await page.addInitScript(() => {
      const original = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key: string, value: string) {
        if (key.includes(':files:')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.call(this, key, value);
      };
    });
    await page.goto(CHAPTER);
    await openExercise(page);
    await typeAtEnd(page, 'kept();');
    await expect(page.locator('lp-workspace [role="alert"]')).toContainText('storage for this site is full');
    const active = await page.evaluate(() => (document.querySelector('lp-workspace') as WsElement).editor!.activePath!);
    expect((await files(page))[active]).toContain('kept();');
  });
});
