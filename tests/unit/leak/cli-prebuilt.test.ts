// The prebuilt audit/scan commands (scripts/build-cli.mjs) must answer exactly as the TypeScript
// sources do: same findings, same exit code.
import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePlantedKey } from '../../../src/lib/exercise/planted-key.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const prebuilt = join(root, 'node_modules', '.cache', 'leakproof-cli');

function runPrebuilt(args: string[]) {
  const code = `const m = await import(${JSON.stringify(join(prebuilt, args[0] + '.mjs'))}); process.exitCode = await m.run(${JSON.stringify(args.slice(1))});`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
}
function runSources(args: string[]) {
  const code = `const m = await import(${JSON.stringify(join(root, 'src/cli/main.ts'))}); process.exitCode = await m.main(${JSON.stringify(args)});`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
}
const lastLine = (s: string) => s.trim().split('\n').pop();

describe('prebuilt CLI', () => {
  let dir: string;
  let keyFile: string;
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { stdio: 'pipe' });
    dir = mkdtempSync(join(tmpdir(), 'lp-prebuilt-'));
    const key = generatePlantedKey();
    keyFile = join(dir, 'key.txt');
    writeFileSync(keyFile, key);
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'app.js'), `const k=atob("${Buffer.from(key).toString('base64')}");`);
    mkdirSync(join(dir, 'clean'));
    writeFileSync(join(dir, 'clean', 'app.js'), 'console.log(1)');
  });

  it('is built', () => {
    expect(existsSync(join(prebuilt, 'audit.mjs'))).toBe(true);
    expect(existsSync(join(prebuilt, 'scan.mjs'))).toBe(true);
  });

  it.each([
    ['a leak', 'dist', 1],
    ['a clean folder', 'clean', 0],
  ])('audit of %s answers like the sources', (_name, sub, exit) => {
    const args = ['audit', join(dir, sub), '--key-file', keyFile, '--target', 'bundle', '--json'];
    const a = runPrebuilt(args);
    const b = runSources(args);
    expect(a.status).toBe(exit);
    expect(b.status).toBe(exit);
    expect(lastLine(a.stdout)).toBe(lastLine(b.stdout));
  });

  it('reports a usage error with exit 2 like the sources', () => {
    const args = ['audit', join(dir, 'missing'), '--key-file', keyFile, '--target', 'bundle'];
    expect(runPrebuilt(args).status).toBe(2);
    expect(runSources(args).status).toBe(2);
  });
});
