// The `source` target: every file git would commit, and only those. Verdicts are compared with
// real `git` (git add -A --dry-run) so our reading of .gitignore matches git's.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { auditKey } from '../../../src/lib/leak/index.ts';
import { committableFiles } from '../../../src/lib/leak/targets/source.ts';
import { nodeDecompressors, nodeReadonlyFs } from '../../../src/node/fs-node.ts';
import { b64, plantedKey } from './forms-helpers.ts';

const K = plantedKey();

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lp-source-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

const git = (root: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'core.excludesFile=/dev/null', ...args], { cwd: root, encoding: 'utf8' });

/** What `git add -A` would stage in a fresh repo (plus what is already tracked). */
function gitWouldCommit(root: string): string[] {
  const out = git(root, 'add', '-A', '--dry-run');
  const tracked = git(root, 'ls-files').split('\n').filter(Boolean);
  const added = out.split('\n').filter(Boolean).map((l) => l.replace(/^add '(.*)'$/, '$1'));
  return [...new Set([...tracked, ...added])].sort();
}

const audit = (root: string, dir = '') => auditKey({ key: K, target: 'source', fs: nodeReadonlyFs(root), dir, decompress: nodeDecompressors });

describe('source target: what git would commit', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['.env ignored by .gitignore', { '.env': `OPENAI_API_KEY=${K}\n`, '.gitignore': '.env\n', 'src/a.js': 'x' }, false],
    ['.env with no .gitignore', { '.env': `OPENAI_API_KEY=${K}\n`, 'src/a.js': 'x' }, true],
    ['.env ignored by a pattern (.env*), .env.example kept by negation', { '.env.local': `K=${K}\n`, '.env.example': 'K=\n', '.gitignore': '.env*\n!.env.example\n' }, false],
    ['.env.example with the real key, re-included', { '.env.example': `K=${K}\n`, '.gitignore': '.env*\n!.env.example\n' }, true],
    ['nested .gitignore ignores it', { 'server/.env': `K=${K}\n`, 'server/.gitignore': '.env\n', 'server/index.js': 'x' }, false],
    ['nested .gitignore in a sibling does not', { 'server/.env': `K=${K}\n`, 'web/.gitignore': '.env\n' }, true],
    ['deeper negation re-includes', { 'app/.env': `K=${K}\n`, '.gitignore': '.env\n', 'app/.gitignore': '!.env\n' }, true],
    ['a file in an ignored folder cannot be re-included', { 'secrets/.env': `K=${K}\n`, '.gitignore': 'secrets/\n!secrets/.env\n' }, false],
    ['anchored pattern only at the root', { 'config/.env': `K=${K}\n`, '.gitignore': '/.env\n' }, true],
    ['ignored node_modules', { 'node_modules/x/index.js': `k="${K}"`, '.gitignore': 'node_modules\n' }, false],
    ['node_modules not ignored is committed', { 'node_modules/x/index.js': `k="${b64(K)}"` }, true],
    ['.git/info/exclude ignores it', { '.env': `K=${K}\n`, '.git/info/exclude': '.env\n' }, false],
    ['a comment line is not a rule', { '.env': `K=${K}\n`, '.gitignore': '# .env\n' }, true],
    ['key in a JS file next to an ignored .env', { '.env': `K=${K}\n`, '.gitignore': '.env\n', 'src/openai.js': `const k = "${K}"` }, true],
  ];
  for (const [name, files, leak] of cases) {
    it(`${leak ? 'leak' : 'clean'}: ${name}`, async () => {
      const root = project(files);
      const r = await audit(root);
      expect(r.leak, JSON.stringify(r.findings)).toBe(leak);
    });
  }

  it('agrees with git on which files would be committed', async () => {
    const root = project({
      '.gitignore': 'dist/\n*.log\n.env*\n!.env.example\n/build\n',
      '.env': 'x', '.env.example': 'x', 'a.log': 'x', 'dist/a.js': 'x', 'build/b.js': 'x', 'src/build/c.js': 'x',
      'src/.gitignore': '*.secret\n!keep.secret\n', 'src/a.secret': 'x', 'src/keep.secret': 'x', 'src/sub/b.secret': 'x',
      'docs/readme.md': 'x', 'docs/.gitignore': '*\n!*.md\n', 'docs/notes.txt': 'x',
    });
    git(root, 'init', '-q');
    const ours = (await committableFiles(nodeReadonlyFs(root), '')).sort();
    expect(ours).toEqual(gitWouldCommit(root));
  });

  it('scans a tracked file even when .gitignore now lists it (git keeps committing it)', async () => {
    const root = project({ '.env': `OPENAI_API_KEY=${K}\n`, 'a.js': 'x' });
    git(root, 'init', '-q');
    git(root, 'add', '.env', 'a.js');
    git(root, 'commit', '-q', '-m', 'oops');
    writeFileSync(join(root, '.gitignore'), '.env\n');
    const r = await audit(root);
    expect(r.leak).toBe(true);
    expect(r.findings[0].file).toBe('.env');
    // After `git rm --cached .env` it is no longer committed.
    git(root, 'rm', '-q', '--cached', '.env');
    expect((await audit(root)).leak).toBe(false);
  });

  for (const version of ['2', '3', '4']) {
    it(`reads tracked files from a version ${version} git index`, async () => {
      const root = project({ 'deep/dir/.env': `K=${K}\n`, 'a.js': 'x', 'deep/dir/b.js': 'y', 'deep/other.js': 'z' });
      git(root, 'init', '-q');
      git(root, 'add', '.');
      git(root, 'update-index', '--index-version', version);
      if (version === '3') git(root, 'update-index', '--skip-worktree', 'a.js'); // sets the extended flag
      writeFileSync(join(root, '.gitignore'), '.env\n*.js\n');
      const files = await committableFiles(nodeReadonlyFs(root), '');
      expect(files).toEqual(['.gitignore', 'a.js', 'deep/dir/.env', 'deep/dir/b.js', 'deep/other.js']);
    });
  }

  it('never enters .git and never follows a symlink out of the project', async () => {
    const outside = project({ 'secret.txt': K });
    const root = project({ 'a.js': 'x', '.git/config': K });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    symlinkSync(outside, join(root, 'linkdir'));
    expect((await audit(root)).leak).toBe(false);
  });

  it('pools fragments across files', async () => {
    const root = project({ 'a.js': `const a = "${K.slice(0, 80)}";`, 'b.js': `const b = "${K.slice(80)}";` });
    const r = await audit(root);
    expect(r.findings.map((f) => f.form)).toEqual(['fragments']);
    expect(r.findings[0].message).toMatch(/2 pieces across 2 files/);
  });

  it('audits a subfolder and names files by their path from the root', async () => {
    const root = project({ 'app/src/k.js': `k="${K}"`, 'other/k.js': `k="${K}"` });
    const r = await audit(root, 'app');
    expect(r.findings.map((f) => f.file)).toEqual(['app/src/k.js']);
  });

  it('says clearly when the folder does not exist', async () => {
    await expect(audit('/nonexistent-leakproof-dir')).rejects.toThrow(/Cannot read the project folder/);
  });
});
