// On a phone (390 px) no page of the real course is wider than the screen, before and after the
// exercise opens, and the Check button is not covered by anything: a wide table, a long link text or
// a long identifier in the prose once made chapters 4, 5 and 7 scroll sideways as a whole page.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openChapterWorkspace } from './helpers/workspace.ts';

// Reduced motion: the page scrolls smoothly otherwise (global.css), and Playwright's scroll-then-hit-test
// can land mid-animation near the page's end (chapter 10's Check button "covered" by the editor above it).
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });

/** The page's sideways overflow in px, and the outermost elements that stick out past the screen. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const sticksOut = (e: Element) => e.getBoundingClientRect().right > width + 1 || (getComputedStyle(e).overflowX === 'visible' && e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0);
    const scrolls = (e: Element) => getComputedStyle(e).overflowX !== 'visible';
    const clipped = (e: Element) => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (scrolls(a)) return true; return false; };
    const culprits = [...document.querySelectorAll('body *')].filter((e) => sticksOut(e) && !clipped(e) && getComputedStyle(e).position !== 'fixed');
    return {
      px: document.documentElement.scrollWidth - width,
      culprits: culprits.slice(-3).map((e) => `<${e.tagName.toLowerCase()} class="${e.className}"> ${(e.textContent ?? '').trim().slice(0, 50)}`),
    };
  });
}

test('every page of the course fits a phone screen, and the Check button can be tapped', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  const chapters = await page.locator('.chapter-list [data-chapter]').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.chapter!));
  expect(chapters.length).toBeGreaterThan(2);
  expect(await overflow(page), 'home page').toEqual({ px: 0, culprits: [] });
  await page.goto('/end/');
  expect(await overflow(page), 'end page').toEqual({ px: 0, culprits: [] });
  for (const chapter of chapters) {
    await page.goto(`/chapters/${chapter}/`);
    expect(await overflow(page), `${chapter}, as it opens`).toEqual({ px: 0, culprits: [] });
    // A table that scrolls by itself on a phone must be reachable from the keyboard.
    const scrollRegions = await new AxeBuilder({ page }).withRules(['scrollable-region-focusable']).analyze();
    expect(scrollRegions.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' '))), `${chapter}: a scrolling region no keyboard reaches`).toEqual([]);
    await openChapterWorkspace(page, chapter);
    expect(await overflow(page), `${chapter}, exercise open`).toEqual({ px: 0, culprits: [] });
    const check = page.getByRole('button', { name: 'Check', exact: true });
    // A trial tap: Playwright scrolls the button into view, waits until it stands still and fails,
    // naming the element, if anything else would receive the tap at the button's centre.
    await check.tap({ trial: true, timeout: 10_000 });
  }
});
