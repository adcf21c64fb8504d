// End-to-end tests against production builds, in Debian's Chromium (/usr/bin/chromium).
//
// Each entry of `sites` is one course built into its own folder and served by scripts/serve.mjs (the
// same server as `npm start`) on its own port, with one Playwright project that runs the spec files
// it matches. To test another build (the real course, a static build without the local engine),
// add an entry: the web server and the project follow. Ports: LEAKPROOF_E2E_PORT_BASE (default
// 4391) + the site's index, so two people on one machine can pick different bases.
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { join } from 'node:path';

interface Site {
  /** Project name: `npx playwright test --project fixture`. */
  name: string;
  /** The course folder to build (LEAKPROOF_LESSONS_DIR). */
  lessons: string;
  /** Spec files this build is for. */
  testMatch: RegExp;
  /** Extra environment for the build and the server. */
  env?: Record<string, string>;
  /** Server script for the build (default scripts/serve.mjs, with the local engine). */
  serve?: string;
}

const sites: Site[] = [
  // The fixture course: site shell and workspace tests.
  { name: 'fixture', lessons: 'tests/fixtures/course', testMatch: /\/(site|workspace)[^/]*\.spec\.ts$/ },
  // The engine's fixture exercises: the Check button on the local engine (tests/e2e/check*.spec.ts).
  { name: 'check', lessons: 'tests/fixtures/exercises', testMatch: /\/check[^/]*\.spec\.ts$/ },
  // A static deploy without the local engine: WebContainer (cannot boot here) → in-browser engine.
  { name: 'hosted', lessons: 'tests/fixtures/hosted', testMatch: /\/hosted[^/]*\.spec\.ts$/, serve: 'tests/e2e/helpers/static-server.mjs' },
  // The real course (lessons/): chapter walk-throughs on the local engine (tests/e2e/chapter*.spec.ts).
  { name: 'course', lessons: 'lessons', testMatch: /\/chapter\d+[^/]*\.spec\.ts$/ },
  // Workshops (tests/e2e/workshop*.spec.ts): learners on the engine's fixture course report to a
  // workshop service each spec starts itself (`leakproof workshop`, on SQLite and on PostgreSQL).
  { name: 'workshop', lessons: 'tests/fixtures/exercises', testMatch: /\/workshop[^/]*\.spec\.ts$/ },
];

const portBase = Number(process.env.LEAKPROOF_E2E_PORT_BASE || 4391);
// LEAKPROOF_E2E_SITES=course,check builds and serves only those sites (ports stay the same).
const onlySites = process.env.LEAKPROOF_E2E_SITES?.split(',').map((n) => n.trim()).filter(Boolean);

// Flags for Debian's Chromium in containers and CI (no sandbox as root, no GPU, no background traffic).
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const servers = sites.flatMap((site, i) => {
  if (onlySites && !onlySites.includes(site.name)) return [];
  const port = portBase + i;
  // Inside the project on purpose: for an outDir outside the working directory Astro writes its
  // prerender chunks to the shared ./.astro/.prerender/, and builds running at once break each other.
  const outDir = join(import.meta.dirname, '.cache', 'e2e', `${site.name}-${port}`);
  // The local engine admits only a browser that opened the server's one-time sign-in link: the
  // server writes each link to a file only this account can read (mode 0600), and
  // tests/e2e/helpers/sign-in.setup.ts opens it once and keeps the cookie for every test's context.
  const signIn = site.serve ? null : { file: `${outDir}.sign-in`, state: `${outDir}.state.json` };
  return {
    site,
    port,
    signIn,
    webServer: {
      // Build then serve with the same server as `npm start` (isolation headers, local engine).
      command: `node scripts/node22.mjs sh -c "astro build && node ${site.serve ?? 'scripts/serve.mjs'} --port ${port} --dir ${outDir}${signIn ? ` --sign-in-file ${signIn.file}` : ''}"`,
      url: `http://localhost:${port}/`,
      env: { ...site.env, LEAKPROOF_LESSONS_DIR: site.lessons, LEAKPROOF_OUT_DIR: outDir, NO_COLOR: '1' },
      // A build with Monaco can take a while on two shared cores.
      timeout: 300_000,
      // Never test against a server from another checkout or an old build.
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    } satisfies NonNullable<PlaywrightTestConfig['webServer']>,
  };
});

export default defineConfig({
  testDir: 'tests/e2e',
  // Per port base, so two runs on one machine do not delete each other's traces.
  outputDir: `test-results/e2e-${portBase}`,
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    trace: 'retain-on-failure',
  },
  webServer: servers.map((s) => s.webServer),
  // Runs after the web servers are up: signs each local-engine site in (see signIn above).
  globalSetup: './tests/e2e/helpers/sign-in.setup.ts',
  projects: servers.map((s) => ({
    name: s.site.name,
    testMatch: s.site.testMatch,
    use: { baseURL: `http://localhost:${s.port}`, ...(s.signIn ? { storageState: s.signIn.state } : {}) },
  })),
});
