#!/usr/bin/env node
// Runs a command under Node >= 22.12 (what Astro 7, Vitest 5 and the openai SDK need).
// The running Node is used when it is new enough; otherwise a Node 22 is fetched once from the
// npm registry (`npm exec --package node@22`) and put first on PATH, so every `node` the command
// starts (astro, vitest, playwright, exercise builds) is that one. Users on Node 22/24 fetch nothing.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node scripts/node22.mjs <command> [args...]');
  process.exit(2);
}

function isNewEnough(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

function findNode22() {
  if (isNewEnough(process.version)) return process.execPath;
  // Cache the resolved path so later runs skip npm exec's registry round-trip.
  const cacheFile = join(root, 'node_modules', '.cache', 'leakproof-node22-path');
  if (existsSync(cacheFile)) {
    const cached = readFileSync(cacheFile, 'utf8').trim();
    if (existsSync(cached)) return cached;
  }
  console.error(`[leakproof] Node ${process.version} is older than 22.12; using Node 22 from the npm registry (fetched once).`);
  const out = execFileSync(
    'npm',
    ['exec', '--yes', '--package', 'node@22', '--', 'node', '-p', 'process.execPath'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const path = out.trim().split('\n').pop();
  if (!path || !existsSync(path)) {
    console.error('[leakproof] Could not obtain Node 22. Install Node 22.12 or newer and run the command again.');
    process.exit(2);
  }
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, path);
  return path;
}

const nodePath = findNode22();
const env = { ...process.env };
env.PATH = [dirname(nodePath), join(root, 'node_modules', '.bin'), env.PATH].join(delimiter);
const child = spawn(cmd, args, { stdio: 'inherit', env, cwd: process.cwd() });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
