// Chapter 9 of the real course, end to end on the local engine: the starter fails (the key is in the
// Dockerfile, compose.yaml, the build context, the image and the build output), the learner follows
// the chapter's steps in the workspace, and every check passes: the image is built without a Docker
// engine (and says so), and the container starts with the key given at run time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openChapterWorkspace, pasteInMonaco, typeInMonaco } from './helpers/workspace.ts';
import { expectNoSeriousA11yViolations } from './helpers/axe.ts';

const chapter = '09-docker';
const starter = (path: string) => readFileSync(join('lessons', chapter, 'exercise', 'files', path), 'utf8');

test.setTimeout(400_000);

const summary = (page: Page) => page.locator('[data-lp-summary]');
const check = (page: Page, id: string) => page.locator(`[data-check-id="${id}"]`);
type Ws = { plantedKey: string; getFiles(): Record<string, string> };

async function newFile(page: Page, path: string, text: string) {
  await page.getByRole('button', { name: 'New file' }).click();
  const dialog = page.getByRole('dialog', { name: 'New file' });
  await dialog.getByRole('textbox').fill(path);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await typeInMonaco(page, path, text);
}

// What steps 5 and 6 of the chapter do to the starter's Dockerfile.
function dockerfileAfterSteps(text: string): string {
  const [build, run] = text.split('# The image that runs.');
  const fixedBuild = build.replace(
    'COPY . .\nARG OPENAI_API_KEY\nRUN npm ci && npm run build\n',
    'COPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN --mount=type=secret,id=openai,env=OPENAI_API_KEY npm run build\n',
  );
  const fixedRun = run
    .replace(/ENV OPENAI_API_KEY=.*\n/, '')
    .replace('COPY . .\nCOPY --from=build /app/dist ./dist\nRUN npm ci --omit=dev\n', 'COPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY server.js key.js ./\nCOPY --from=build /app/dist ./dist\n');
  expect(fixedBuild).not.toBe(build);
  expect(fixedRun).toContain('COPY server.js key.js ./');
  return `${fixedBuild}# The image that runs.${fixedRun}`;
}

const COMPOSE = `services:
  web:
    build:
      context: .
      secrets:
        - openai
    environment:
      OPENAI_API_KEY_FILE: /run/secrets/openai
    secrets:
      - openai
    ports:
      - "127.0.0.1:8787:8787"

secrets:
  openai:
    file: ./secrets/openai_api_key.txt
`;

const DOCKERIGNORE = '.env\n.env.*\n!.env.example\nsecrets\n.git\nnode_modules\ndist\n';

test('chapter 9: a key in the Dockerfile, context and image fails; secret mounts and run-time secrets pass', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await openChapterWorkspace(page, chapter);
  const key = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as Ws).plantedKey);
  expect(key).toMatch(/^sk-proj-/);

  // Step 1: the starter fails where the chapter says.
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('of 7 checks passed. First problem:', { timeout: 300_000 });
  for (const id of ['key-not-committed', 'docker-files-clean', 'context-clean', 'image-clean', 'build-secret-mount', 'build-output-clean']) {
    await expect(check(page, id)).toHaveAttribute('data-status', 'fail');
  }
  await expect(check(page, 'image-clean')).toContainText('Built by Leakproof without a Docker engine');
  await expect(check(page, 'image-clean')).toContainText('RUN steps are not executed');
  await expect(check(page, 'context-clean')).toContainText('.env');
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);
  await page.screenshot({ path: `test-results/chapter9-starter-1280.png`, fullPage: false });

  // Steps 2 to 8, as the chapter writes them.
  await newFile(page, 'secrets/openai_api_key.txt', key);
  await typeInMonaco(page, '.gitignore', `${starter('.gitignore')}secrets/\n`);
  await newFile(page, '.dockerignore', DOCKERIGNORE);
  await typeInMonaco(page, 'Dockerfile', dockerfileAfterSteps(starter('Dockerfile').replace('{{PLANTED_KEY}}', key)));
  await pasteInMonaco(page, 'compose.yaml', COMPOSE);
  const build = starter('build.js');
  const fixed = build.replace("JSON.stringify({ model: 'gpt-4o-mini', apiKey })", "JSON.stringify({ model: 'gpt-4o-mini' })");
  expect(fixed).not.toBe(build);
  await typeInMonaco(page, 'build.js', fixed);
  const files = await page.evaluate(() => (document.querySelector('lp-workspace') as unknown as Ws).getFiles());
  expect(files['secrets/openai_api_key.txt']).toBe(key);
  expect(files['compose.yaml']).toBe(COMPOSE);
  expect(files['.dockerignore']).toBe(DOCKERIGNORE);
  expect(files.Dockerfile).toContain('RUN --mount=type=secret,id=openai,env=OPENAI_API_KEY npm run build');
  expect(files.Dockerfile).not.toContain(key);

  // Step 9.
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(summary(page)).toContainText('All 7 checks passed', { timeout: 300_000 });
  await expect(check(page, 'runs-with-runtime-key')).toHaveAttribute('data-status', 'pass');
  expect(await page.locator('lp-check-panel').innerText()).not.toContain(key);
  await page.screenshot({ path: `test-results/chapter9-pass-1280.png`, fullPage: false });

  // The same result at a phone's size: readable, nothing cut off sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await check(page, 'image-clean').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `test-results/chapter9-pass-390.png`, fullPage: false });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});

// Chapters 6 and 9 meet the page standard too: no serious axe violation, light and dark, with the
// workspace open; nothing wider than a phone's screen.
for (const chapterId of ['06-deploying', '09-docker']) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`${chapterId}: no serious accessibility violation, ${colorScheme} theme`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme });
      await openChapterWorkspace(page, chapterId);
      await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
      await expectNoSeriousA11yViolations(page, `${chapterId} (${colorScheme})`);
    });
  }
  test(`${chapterId}: readable on a phone`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/chapters/${chapterId}/`);
    await page.screenshot({ path: `test-results/${chapterId}-390.png`, fullPage: false });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
  });
}
