// The site shell on the fixture course: navigation, keyboard use, isolation headers, themes,
// accessibility, the 404 page and facilitator notes. (The workspace has its own specs.)
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './helpers/axe.ts';
import { chapterPath, fixtureChapters, focused, openWorkspace, tabUntil } from './helpers/site.ts';

const [first, second, third] = fixtureChapters;

test('home lists the chapters in order and leads to a chapter', async ({ page }) => {
  await page.goto('/');
  const cards = page.locator('.chapter-card');
  await expect(cards).toHaveCount(fixtureChapters.length);
  for (const [i, c] of fixtureChapters.entries()) {
    await expect(cards.nth(i).getByRole('heading')).toHaveText(`${i + 1}. ${c.title}`);
    await expect(cards.nth(i)).toContainText(`${c.minutes} min`);
    await expect(cards.nth(i).locator('.state')).toHaveText('Not started');
  }
  await expect(page.getByText('Continue where you left off')).toBeHidden();

  await page.getByRole('link', { name: `2. ${second.title}` }).click();
  await expect(page).toHaveURL(chapterPath(second.id));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(second.title);
  await expect(page.getByRole('link', { name: /Previous chapter/ })).toHaveAttribute('href', chapterPath(first.id));
  await expect(page.getByRole('link', { name: /Next chapter/ })).toHaveAttribute('href', chapterPath(third.id));

  // Back home: the visited chapter is in progress and "continue" points to it.
  await page.goto('/');
  await expect(page.locator(`[data-chapter="${second.id}"] .state`)).toHaveText('In progress');
  await expect(page.locator(`[data-chapter="${first.id}"] .state`)).toHaveText('Not started');
  const resume = page.getByRole('link', { name: `Continue: 2. ${second.title}` });
  await expect(resume).toBeVisible();
  await resume.click();
  await expect(page).toHaveURL(chapterPath(second.id));
});

test('a chapter shows its objectives, and the workspace only when it has an exercise', async ({ page }) => {
  await page.goto(chapterPath(first.id));
  await expect(page.getByRole('heading', { name: 'In this chapter you will' })).toBeVisible();
  await expect(page.getByText('Spot an API key in a source file')).toBeVisible();
  await expect(page.locator('.workspace-column')).toHaveCount(1);
  await expect(page.getByRole('link', { name: /Previous chapter/ })).toHaveCount(0);

  await page.goto(chapterPath(second.id));
  await expect(page.locator('.workspace-column')).toHaveCount(0);
});

test('the author components render', async ({ page }) => {
  await page.goto(chapterPath(first.id));
  await expect(page.getByRole('complementary', { name: 'Tip' })).toContainText('Tip: Read the key from the environment');
  await expect(page.getByRole('complementary', { name: 'Warning' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Common mistake' })).toContainText('forgetting');
  await expect(page.locator('.steps ol > li')).toHaveCount(3);
  await expect(page.getByRole('group', { name: /Where should the key live/ })).toBeVisible();
});

test('a chapter can be read and its knowledge check answered with the keyboard only', async ({ page }) => {
  await page.goto(chapterPath(first.id));

  // First Tab: the skip link, visible when focused; Enter moves focus to the main content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  // Focus is visible wherever it goes.
  await tabUntil(page, async () => (await focused(page)).startsWith('input[radio]'));
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe('none');

  // Arrow keys choose within the radio group; a wrong answer first, then the right one.
  const check = page.locator('lp-knowledge-check[data-id="where-key"]');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await expect(check.getByRole('button', { name: 'Check answer' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(check.getByRole('status')).toHaveText(/Not quite/);
  await expect(check.getByText('Source files are committed')).toBeVisible();

  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('ArrowDown');
  await expect(check.getByRole('radio', { name: /In a \.env file/ })).toBeChecked();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(check.getByRole('status')).toHaveText('Correct!');
  await expect(check.getByText('Right: the code reads it from the environment')).toBeVisible();
  await expect(check.getByText('Source files are committed')).toBeHidden();

  // The answer is remembered.
  await page.reload();
  await expect(check.getByRole('radio', { name: /In a \.env file/ })).toBeChecked();
  await expect(check.getByRole('status')).toHaveText('Correct!');

  // The pagination at the end of the prose is reachable too.
  await tabUntil(page, async () => (await focused(page)).includes('Next chapter'));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(chapterPath(second.id));
});

test('the header navigation and theme control are reachable by keyboard', async ({ page }) => {
  await page.goto(chapterPath(third.id));
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Leakproof' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Chapters' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('combobox', { name: 'Theme' })).toBeFocused();
});

for (const path of ['/', chapterPath(first.id), '/404-does-not-exist/']) {
  test(`${path} is cross-origin isolated`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  });
}

// Axe is slow on a page with the editor open: one test per page and theme, each with room to run.
const a11yPages = [
  { name: 'home', path: '/' },
  { name: 'chapter with workspace', path: chapterPath(first.id) },
  { name: 'chapter without exercise', path: chapterPath(second.id) },
  { name: 'chapter in facilitator view, knowledge check answered', path: `${chapterPath(first.id)}?facilitator=1`, answer: true },
];
for (const colorScheme of ['light', 'dark'] as const) {
  for (const p of a11yPages) {
    test(`no serious accessibility violation: ${p.name}, ${colorScheme} theme`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme });
      await page.goto(p.path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
      if (p.answer) {
        // Facilitator notes and an answered knowledge check have their own colours.
        const check = page.locator('lp-knowledge-check[data-id="where-key"]');
        await check.getByRole('radio').first().check();
        await check.getByRole('button', { name: 'Check answer' }).click();
        await expect(check.getByRole('status')).toHaveText(/Not quite/);
      }
      // Judge the page with its workspace open (editor included), not in a half-loaded state.
      await openWorkspace(page);
      await expectNoSeriousA11yViolations(page, `${p.path} (${colorScheme})`);
    });
  }
}

test('the theme follows the system until chosen, and the choice persists', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const theme = page.getByRole('combobox', { name: 'Theme' });
  await expect(theme).toHaveValue('auto');

  await theme.selectOption('light');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await expect(theme).toHaveValue('light');
  await page.goto(chapterPath(first.id));
  await expect(html).toHaveAttribute('data-theme', 'light');

  // No flash: the inline script in <head> applies the stored theme before the page paints, even
  // with every bundled script blocked.
  await page.route('**/_astro/*.js', (route) => route.abort());
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.unroute('**/_astro/*.js');
  await page.reload();

  await theme.selectOption('auto');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');
});

test('an unknown address gets the 404 page', async ({ page }) => {
  const response = await page.goto('/chapters/no-such-chapter/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await page.getByRole('link', { name: 'Go to the list of chapters' }).click();
  await expect(page).toHaveURL('/');
});

test('facilitator notes are hidden from readers and shown in the facilitator view', async ({ page }) => {
  await page.goto(chapterPath(first.id));
  const notes = page.locator('.facilitator-notes');
  await expect(notes).toHaveCount(2); // workshop plan + <FacilitatorNotes>
  await expect(notes.first()).toBeHidden();
  await expect(page.getByText('Ask the room who has ever committed')).toBeHidden();

  await page.goto(`${chapterPath(first.id)}?facilitator=1`);
  await expect(page.getByText('Ask the room who has ever committed')).toBeVisible();
  await expect(page.getByText('Plan 20 minutes for this chapter')).toBeVisible();

  // Remembered across pages until turned off.
  await page.goto(chapterPath(second.id));
  await expect(page.getByText('Timing: five minutes.')).toBeVisible();
  await page.getByRole('link', { name: 'turn off' }).click();
  await expect(page.getByText('Timing: five minutes.')).toBeHidden();
  await page.goto(chapterPath(first.id));
  await expect(page.getByText('Ask the room who has ever committed')).toBeHidden();
});
