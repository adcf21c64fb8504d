// Driving the exercise workspace like a learner: open it, then replace a file's text in Monaco.
import type { Page } from '@playwright/test';

type WorkspaceElement = { editor: { open(path: string): void } | null };

/** Opens a chapter page and its workspace, and waits until Monaco is there. */
export async function openChapterWorkspace(page: Page, chapter: string, query = '') {
  await page.goto(`/chapters/${chapter}/${query}`);
  // By selector, not by role: a role locator stops resolving the moment the button is hidden.
  const open = page.locator('lp-workspace [data-lp-open]');
  // Scrolled into view, the workspace starts loading Monaco by itself, and the button goes away the
  // moment Monaco is in: a real click could wait forever for a button that is gone. The click
  // event is what opens it; dispatch it without waiting for the button to stay put.
  if (await open.isVisible()) await open.dispatchEvent('click');
  // A plain text editor comes first; these tests drive Monaco, which takes over when it has loaded.
  await page.waitForFunction(() => (document.querySelector('lp-workspace') as HTMLElement | null)?.dataset.editor === 'monaco');
}

/** Replaces a file's whole text by typing it into Monaco. */
export async function typeInMonaco(page: Page, path: string, text: string) {
  await page.evaluate((p) => (document.querySelector('lp-workspace') as unknown as WorkspaceElement).editor!.open(p), path);
  const editor = page.locator('[data-lp-editor] .monaco-editor').first();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText: one input, so Monaco's auto-closing of quotes and brackets does not double them.
  // Monaco indents new lines itself, as it does for a learner typing: send the lines unindented.
  await page.keyboard.insertText(text.replace(/^[ \t]+/gm, ''));
}

/** Replaces a file's text the way a learner pastes it (Ctrl+V): indentation kept, which YAML needs. */
export async function pasteInMonaco(page: Page, path: string, text: string) {
  await page.evaluate((p) => (document.querySelector('lp-workspace') as unknown as WorkspaceElement).editor!.open(p), path);
  await page.locator('[data-lp-editor] .monaco-editor').first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}
