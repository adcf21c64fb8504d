import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../src/cli/commands/platform.ts';

const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'lp-platform-cli-'));

afterEach(() => vi.restoreAllMocks());

describe('leakproof platform', () => {
  it.each([
    [['--seed', join(dir, 'missing.json')], /Cannot read the seed file .*missing\.json: no such file/],
    [['--port', 'abc'], /--port needs a port number/],
    [['--bogus'], /Unknown option "--bogus"/],
  ])('refuses %j with exit code 2', async (args, message) => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run(args)).toBe(2);
    expect(err.mock.calls.flat().join('\n')).toMatch(message);
  });

  it('refuses a bad seed with the field named and exit code 2', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ projects: [{ id: 'p', name: 'P', spendLimitUsd: 'ten' }] }));
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run(['--seed', file])).toBe(2);
    expect(err.mock.calls.flat().join('\n')).toMatch(/projects\[0\]\.spendLimitUsd/);
    writeFileSync(file, '{"projects": [');
    expect(await run(['--seed', file])).toBe(2);
    expect(err.mock.calls.flat().join('\n')).toMatch(/is not valid JSON/);
  });

  it('prints the base URL, serves the seeded key, and stops cleanly on SIGTERM', async () => {
    const key = 'sk-proj-' + 'c'.repeat(156);
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify({ projects: [{ id: 'proj_cli', name: 'CLI' }], keys: [{ value: key, kind: 'project' }] }));
    const child = spawn(process.execPath, [join(root, 'bin/leakproof.mjs'), 'platform', '--port', '0', '--seed', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const baseURL = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /base URL\s+(\S+)/.exec(out);
        if (m) {
          clearInterval(timer);
          resolve(m[1]!);
        }
      }, 20);
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    expect(out).not.toContain(key); // a seeded key is shown masked
    const r = await fetch(`${baseURL}/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(r.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/Platform stopped \(SIGTERM\); 0 call\(s\) were served\./);
  });
});
