#!/usr/bin/env node
// `npx leakproof <command>`. `audit` and `scan` run from the JavaScript that scripts/build-cli.mjs
// prebuilds at install time (fast start, any Node >= 20) while that build is newer than every source
// file. Everything else runs src/cli/main.ts: Node >= 22.18 strips TypeScript types itself; an older
// Node re-runs this file under Node 22 through scripts/node22.mjs.
import { createRequire } from 'node:module';

// Built-ins by require(), child_process only when used: `audit` and `scan` are short processes, and
// an ESM import of node:fs builds a namespace that loads fs streams, of node:child_process the
// whole socket stack.
const require = createRequire(import.meta.url);
const { existsSync, readdirSync, statSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { fileURLToPath, pathToFileURL } = require('node:url');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const prebuilt = join(root, 'node_modules', '.cache', 'leakproof-cli');

function newestSourceMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`; // not path.join: a hundred of them get it compiled, at start-up
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function prebuiltIsFresh() {
  const stamp = join(prebuilt, 'built-at.txt');
  if (!existsSync(stamp)) return false;
  const sources = ['src/cli', 'src/lib/leak', 'src/lib/fs', 'src/node'].map((d) => join(root, d));
  return statSync(stamp).mtimeMs >= Math.max(...sources.filter(existsSync).map(newestSourceMtime));
}

const [major, minor] = process.versions.node.split('.').map(Number);
if ((argv[0] === 'audit' || argv[0] === 'scan') && prebuiltIsFresh()) {
  // V8's compiled code for the prebuilt modules, kept between runs (Node >= 22.1; a warm start).
  require('node:module').enableCompileCache?.(join(root, 'node_modules', '.cache', 'leakproof-compile-cache'));
  const mod = await import(pathToFileURL(join(prebuilt, `${argv[0]}.mjs`)).href);
  process.exitCode = await mod.run(argv.slice(1));
} else if (major > 22 || (major === 22 && minor >= 18)) {
  const { main } = await import(pathToFileURL(join(root, 'src/cli/main.ts')).href);
  process.exitCode = await main(argv);
} else {
  const { spawnSync } = require('node:child_process');
  const r = spawnSync(process.execPath, [join(root, 'scripts/node22.mjs'), 'node', fileURLToPath(import.meta.url), ...argv], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
