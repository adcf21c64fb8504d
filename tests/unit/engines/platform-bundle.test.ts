// The mock platform packaged for WebContainer runs as one plain-JS file under plain Node (no
// TypeScript, no node_modules next to it). Whether it runs inside WebContainer was NOT verified:
// WebContainer cannot boot on these machines.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlatformBundle } from '../../../src/engines/webcontainer/platform-bundle.mjs';
import { platformSeedFor } from '../../../src/engines/webcontainer/platform.ts';
import { newKey } from './helpers.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('platform bundle for WebContainer', () => {
  it('starts from one file, prints where it listens, and knows only the planted key', async () => {
    const code = (await buildPlatformBundle()) as Uint8Array;
    const dir = await mkdtemp(join(tmpdir(), 'leakproof-platform-'));
    dirs.push(dir);
    await writeFile(join(dir, 'platform.mjs'), code);
    const key = newKey();
    const child = spawn(process.execPath, ['platform.mjs'], {
      cwd: dir,
      env: { PATH: process.env.PATH, LEAKPROOF_PLATFORM_SEED: JSON.stringify(platformSeedFor({ chapter: 'x', checks: [] }, key)) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.on('exit', (c) => reject(new Error(`platform exited ${c}`)));
      });
      const { baseURL } = JSON.parse(line) as { baseURL: string };
      const ok = await fetch(`${baseURL}/models`, { headers: { Authorization: `Bearer ${key}` } });
      expect(ok.status).toBe(200);
      const wrong = await fetch(`${baseURL}/models`, { headers: { Authorization: `Bearer ${newKey()}` } });
      expect(wrong.status).toBe(401);
    } finally {
      child.kill();
    }
  }, 60_000);
});
