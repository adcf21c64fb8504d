// Every chapter of the real course links forward and back correctly, and only to pages that exist:
// the home page's order, each page's "Previous / Next chapter", the last chapter on to the end page
// and the end page back to the last chapter; every /chapters/… link in every page answers 200.
import { expect, test } from '@playwright/test';

test('chapters link forward and back in order, and only to pages that exist', async ({ page, request }) => {
  await page.goto('/');
  const chapters = await page.locator('.chapter-list [data-chapter]').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.chapter!));
  expect(chapters.length).toBeGreaterThan(2);
  const pages = [...chapters.map((id) => `/chapters/${id}/`), '/end/'];
  const checked = new Set<string>();
  for (const [i, path] of pages.entries()) {
    await page.goto(path);
    const prev = page.locator('nav.pagination a[rel="prev"]');
    const next = page.locator('nav.pagination a[rel="next"]');
    if (i === 0) await expect(prev).toHaveCount(0);
    else await expect(prev).toHaveAttribute('href', pages[i - 1]!);
    if (i === pages.length - 1) await expect(next).toHaveCount(0);
    else await expect(next).toHaveAttribute('href', pages[i + 1]!);
    // Links to chapters inside the text: each must be a published chapter (or its anchor).
    const links = await page.locator('main a[href^="/chapters/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.split('#')[0]!));
    for (const href of new Set(links)) {
      if (checked.has(href)) continue;
      checked.add(href);
      expect((await request.get(href)).status(), `${path} links to ${href}`).toBe(200);
      expect(pages, `${path} links to ${href}, which is not a published chapter`).toContain(href);
    }
  }
});
