// Chapters 1–3 of the real course: axe finds nothing serious, light and dark, with the facilitator
// notes shown, code blocks (Shiki's theme) and the workspace open.
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './helpers/axe.ts';
import { openChapterWorkspace } from './helpers/workspace.ts';

for (const chapter of ['01-habits', '02-env-vars', '03-backend-proxy']) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`${chapter}: no serious accessibility violation, ${colorScheme} theme`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme });
      await openChapterWorkspace(page, chapter, '?facilitator=1');
      await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
      await expect(page.locator('.astro-code').first()).toBeVisible();
      await expectNoSeriousA11yViolations(page, `${chapter} (${colorScheme})`);
    });
  }
}
