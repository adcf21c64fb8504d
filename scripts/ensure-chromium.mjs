#!/usr/bin/env node
// The end-to-end tests run in Debian's Chromium (/usr/bin/chromium), not a browser Playwright
// downloads. Installs it with apt-get when it is missing and we are root (CI, containers);
// otherwise says how to install it and exits 1.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';

if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (isRoot && hasApt) {
  console.log(`[leakproof] ${CHROMIUM} is missing; installing Debian's chromium with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`[leakproof] "apt-get ${args.join(' ')}" failed (exit ${r.status}). Install chromium yourself and run the tests again.`);
      process.exit(1);
    }
  }
  if (existsSync(CHROMIUM)) process.exit(0);
}

console.error(
  [
    `[leakproof] The end-to-end tests need Chromium at ${CHROMIUM}.`,
    hasApt ? '  Install it with:  sudo apt-get install -y chromium' : '  Install Debian/Ubuntu\'s "chromium" package (or run the tests in a Debian container).',
    '  Then run "npm test" again. Unit tests alone: npm run test:unit',
  ].join('\n'),
);
process.exit(1);
