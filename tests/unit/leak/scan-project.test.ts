// scanProject(): the real-key scan over the same targets as the planted-key audit.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { scanProject } from '../../../src/lib/leak/scan/index.ts';
import { nodeReadonlyFs, nodeDecompressors } from '../../../src/node/fs-node.ts';
import { randomChars, tempDir } from './helpers-h3b.ts';

const M = 'T3Blbk' + 'FJ';
const REAL = `sk-svcacct-${randomChars(74)}${M}${randomChars(74)}`;

function project(files: Record<string, string | Uint8Array>): string {
  const d = tempDir('scan');
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), typeof c === 'string' ? c.replaceAll('$REAL', REAL) : c);
  }
  return d;
}
const scan = (d: string, targets?: Array<'source' | 'bundle' | 'git' | 'docker' | 'image'>) =>
  scanProject({ fs: nodeReadonlyFs(d), targets, decompress: nodeDecompressors });

describe('scanProject', () => {
  it('source: respects .gitignore (an ignored .env is not reported)', async () => {
    const d = project({ '.gitignore': '.env\n', '.env': 'OPENAI_API_KEY=$REAL\n', 'src/a.js': 'x' });
    expect(await scan(d)).toEqual([]);
    const e = project({ '.env': 'OPENAI_API_KEY=$REAL\n' });
    expect((await scan(e)).map((f) => [f.target, f.file, f.rule])).toEqual([['source', '.env', 'openai-service-account-key']]);
  });

  it('default targets add git history when the folder is a repository', async () => {
    const d = project({ 'k.txt': '$REAL' });
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...a], { cwd: d, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'k');
    git('rm', '-q', 'k.txt');
    git('commit', '-q', '-m', 'rm');
    const f = await scan(d);
    expect(f.map((x) => [x.target, x.file])).toEqual([['git', 'k.txt']]);
    expect(f[0].commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('bundle: a gzip copy in a build folder', async () => {
    const d = project({ 'assets/index.js.gz': new Uint8Array(gzipSync(`const k="${REAL}"`)) });
    expect((await scan(d, ['bundle'])).map((f) => f.form)).toEqual(['gzip>plain']);
  });

  it('docker: ENV in a Dockerfile', async () => {
    const d = project({ Dockerfile: 'FROM node:22\nENV OPENAI_API_KEY=$REAL\n' });
    const f = await scan(d, ['docker']);
    expect(f.map((x) => [x.file, x.line])).toEqual([['Dockerfile', 2]]);
    expect(f[0].message).toMatch(/ENV instruction \(line 2\)/);
  });
});
