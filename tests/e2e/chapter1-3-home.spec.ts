// The home page after chapters are passed (progress as the store writes it): "Continue" leads to the
// next chapter not passed yet, and with every chapter passed the home page says the course is
// complete and leads to the results.
import { expect, test } from '@playwright/test';

const cards = async (page: import('@playwright/test').Page) =>
  page.locator('[data-chapter]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.chapter!));

test('Continue leads to the next unfinished chapter; all passed, the course is complete', async ({ page }) => {
  await page.goto('/');
  const ids = await cards(page);
  expect(ids.length).toBeGreaterThan(2);
  const set = (passed: string[], last: string) =>
    page.evaluate(
      ([p, l]) => {
        localStorage.clear();
        for (const id of p as string[]) localStorage.setItem(`leakproof:v1:state:${id}`, JSON.stringify('passed'));
        localStorage.setItem('leakproof:v1:last', l as string);
      },
      [passed, last] as const,
    );

  // Chapter 1 just passed: Continue goes to chapter 2, not back to chapter 1.
  await set([ids[0]!], ids[0]!);
  await page.reload();
  const resume = page.locator('[data-continue-link]');
  await expect(resume).toBeVisible();
  await expect(resume).toHaveAttribute('href', new RegExp(`/chapters/${ids[1]}/?$`));
  await expect(page.locator('[data-complete]')).toBeHidden();

  // Every chapter passed: no Continue, the course is complete.
  await set(ids, ids[ids.length - 1]!);
  await page.reload();
  await expect(page.locator('[data-complete]')).toBeVisible();
  await expect(page.locator('[data-complete]')).toContainText(`You passed all ${ids.length} chapters`);
  await expect(resume).toBeHidden();
});
