// Small helpers for the site's end-to-end specs.
import type { Page } from '@playwright/test';

/** The fixture course's chapters (tests/fixtures/course), in order. */
export const fixtureChapters = [
  { id: '01-first-steps', title: 'First steps with a secret', minutes: 12, exercise: true },
  { id: '02-no-exercise', title: 'Reading without an exercise', minutes: 5, exercise: false },
  { id: '03-wrap-up', title: 'Wrapping up', minutes: 3, exercise: false },
] as const;

export const chapterPath = (id: string) => `/chapters/${id}/`;

/** Press Tab until `done` says the focused element is the one wanted; fails after `max` presses. */
export async function tabUntil(page: Page, done: () => Promise<boolean>, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await done()) return;
  }
  throw new Error(`Element not reached after ${max} Tab presses (is it reachable by keyboard?)`);
}

/** Description of the focused element, for readable assertions. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 60) ?? '';
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${(el as HTMLInputElement).type ? `[${(el as HTMLInputElement).type}]` : ''} ${name}`.trim();
  });
}

/** Opens the chapter's workspace (loads the editor) and waits until it is ready; no-op without one. */
export async function openWorkspace(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const ws = document.querySelector('lp-workspace') as (HTMLElement & { open?: () => Promise<void> }) | null;
    if (ws?.open) await ws.open();
  });
}
