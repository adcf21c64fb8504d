#!/usr/bin/env node
// `npx leakproof <command>`: runs src/cli/main.ts. Node >= 22.18 strips TypeScript types itself;
// an older Node re-runs this file under Node 22 through scripts/node22.mjs.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 18)) {
  const { main } = await import(pathToFileURL(join(root, 'src/cli/main.ts')).href);
  process.exitCode = await main(process.argv.slice(2));
} else {
  const r = spawnSync(process.execPath, [join(root, 'scripts/node22.mjs'), 'node', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
