import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as nodefs from 'node:fs';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { auditGit, NotAGitRepositoryError } from '../../../src/lib/leak/targets/git.ts';
import { nodeFs, fakeKey, tempDir, plainDetector } from './helpers-h3b.ts';

const sh = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    stdio: 'pipe',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e', GIT_CONFIG_NOSYSTEM: '1', HOME: cwd },
  }).toString();

const audit = (root: string, key: string) => auditGit({ key, fs: nodeFs(root), detect: plainDetector });

/** A repo made by the git CLI where the key was committed, then removed; `gc` packs objects and refs. */
function cliRepo(key: string, gc: boolean): string {
  const d = tempDir('git');
  sh(d, 'init', '-q', '-b', 'main');
  writeFileSync(join(d, 'app.js'), 'console.log(1)\n');
  writeFileSync(join(d, '.env'), `OPENAI_API_KEY=${key}\n`);
  sh(d, 'add', '.');
  sh(d, 'commit', '-q', '-m', 'first');
  sh(d, 'rm', '-q', '--cached', '.env');
  writeFileSync(join(d, '.gitignore'), '.env\n');
  sh(d, 'add', '.gitignore');
  sh(d, 'commit', '-q', '-m', 'remove env');
  if (gc) sh(d, 'gc', '-q', '--aggressive', '--prune=now');
  return d;
}

describe('git target', () => {
  let key: string;
  beforeAll(() => {
    key = fakeKey();
  });

  it('catches a key removed from HEAD but still in an older commit (loose objects)', async () => {
    const d = cliRepo(key, false);
    const f = await audit(d, key);
    expect(f).toHaveLength(1);
    expect(f[0].file).toBe('.env');
    expect(f[0].target).toBe('git');
    expect(f[0].commit).toMatch(/^[0-9a-f]{40}$/);
    expect(f[0].commit).toBe(sh(d, 'rev-list', '--max-parents=0', 'HEAD').trim());
  });

  it('catches it after git gc (packed objects and packed-refs)', async () => {
    const d = cliRepo(key, true);
    expect(nodefs.existsSync(join(d, '.git/packed-refs'))).toBe(true);
    expect(nodefs.readdirSync(join(d, '.git/objects/pack')).some((n) => n.endsWith('.pack'))).toBe(true);
    const f = await audit(d, key);
    expect(f.map((x) => x.file)).toEqual(['.env']);
  });

  it('catches the old history kept by a ref that is neither branch nor tag (refs/original, refs/stash), packed or loose', async () => {
    for (const [ref, gc] of [['refs/original/refs/heads/main', true], ['refs/stash', false]] as const) {
      const d = cliRepo(key, false);
      const root = sh(d, 'rev-list', '--max-parents=0', 'HEAD').trim();
      // Main rewritten to a commit without the key; only the extra ref still reaches the old one.
      const clean = sh(d, 'commit-tree', 'HEAD^{tree}', '-m', 'rewritten').trim();
      sh(d, 'update-ref', ref, root);
      sh(d, 'update-ref', 'refs/heads/main', clean);
      sh(d, 'reflog', 'expire', '--expire=now', '--all');
      if (gc) sh(d, 'gc', '-q', '--prune=now');
      expect((await audit(d, key)).map((x) => x.file), ref).toEqual(['.env']);
      sh(d, 'update-ref', '-d', ref);
      expect(await audit(d, key), `${ref} deleted`).toEqual([]);
    }
  });

  it('passes when the key is only in an ignored or untracked working-tree file', async () => {
    const d = tempDir('git');
    sh(d, 'init', '-q', '-b', 'main');
    writeFileSync(join(d, '.gitignore'), '.env\n');
    writeFileSync(join(d, 'app.js'), 'process.env.OPENAI_API_KEY\n');
    sh(d, 'add', '.');
    sh(d, 'commit', '-q', '-m', 'clean');
    writeFileSync(join(d, '.env'), `OPENAI_API_KEY=${key}\n`);
    writeFileSync(join(d, 'notes.txt'), key);
    expect(await audit(d, key)).toEqual([]);
  });

  it('passes a key that was staged but never committed', async () => {
    const d = tempDir('git');
    sh(d, 'init', '-q', '-b', 'main');
    writeFileSync(join(d, 'a.txt'), 'a');
    sh(d, 'add', '.');
    sh(d, 'commit', '-q', '-m', 'a');
    writeFileSync(join(d, 'b.txt'), key);
    sh(d, 'add', 'b.txt');
    expect(await audit(d, key)).toEqual([]);
  });

  it('catches keys in commit messages, annotated-tag messages and other branches', async () => {
    const d = tempDir('git');
    sh(d, 'init', '-q', '-b', 'main');
    writeFileSync(join(d, 'a.txt'), 'a');
    sh(d, 'add', '.');
    sh(d, 'commit', '-q', '-m', `use key ${key}`);
    sh(d, 'tag', '-a', 'v1', '-m', `release with ${key}`);
    sh(d, 'checkout', '-q', '-b', 'side');
    writeFileSync(join(d, 'side.txt'), `k=${key}`);
    sh(d, 'add', '.');
    sh(d, 'commit', '-q', '-m', 'side');
    sh(d, 'checkout', '-q', 'main');
    sh(d, 'gc', '-q');
    const files = (await audit(d, key)).map((x) => x.file).sort();
    expect(files).toEqual(['(commit message)', '(message of tag v1)', 'side.txt']);
  });

  it('reports each blob once, at the oldest commit', async () => {
    const d = tempDir('git');
    sh(d, 'init', '-q', '-b', 'main');
    writeFileSync(join(d, 'k.txt'), key);
    sh(d, 'add', '.');
    sh(d, 'commit', '-q', '-m', 'one', '--date=2020-01-01T00:00:00');
    writeFileSync(join(d, 'other.txt'), 'x');
    sh(d, 'add', '.');
    sh(d, 'commit', '-q', '-m', 'two');
    const f = await audit(d, key);
    expect(f).toHaveLength(1);
    expect(f[0].commit).toBe(sh(d, 'rev-list', '--max-parents=0', 'HEAD').trim());
  });

  it('reads a repository made by isomorphic-git', async () => {
    const d = tempDir('iso');
    await git.init({ fs: nodefs, dir: d, defaultBranch: 'main' });
    mkdirSync(join(d, 'src'));
    writeFileSync(join(d, 'src/config.js'), `export const k = "${key}";\n`);
    await git.add({ fs: nodefs, dir: d, filepath: 'src/config.js' });
    await git.commit({ fs: nodefs, dir: d, message: 'add config', author: { name: 't', email: 't@e' } });
    const f = await audit(d, key);
    expect(f.map((x) => x.file)).toEqual(['src/config.js']);
  });

  it('reads a bare repository', async () => {
    const src = cliRepo(key, false);
    const bare = tempDir('bare');
    sh(bare, 'clone', '-q', '--bare', src, 'r.git');
    const f = await audit(join(bare, 'r.git'), key);
    expect(f.map((x) => x.file)).toEqual(['.env']);
  });

  it('reads a shallow clone (parents past the depth are missing)', async () => {
    const src = cliRepo(key, false);
    writeFileSync(join(src, 'later.txt'), key);
    sh(src, 'add', 'later.txt');
    sh(src, 'commit', '-q', '-m', 'later');
    const d = tempDir('shallow');
    sh(d, 'clone', '-q', '--depth', '1', `file://${src}`, 'c');
    const f = await audit(join(d, 'c'), key);
    // The oldest commit (with .env) is not in the clone; the newest (with later.txt) is.
    expect(f.map((x) => x.file)).toEqual(['later.txt']);
  });

  it('follows a relative gitdir pointer in a .git file', async () => {
    const src = cliRepo(key, false);
    const d = tempDir('ptr');
    sh(d, 'clone', '-q', '--separate-git-dir', join(d, 'store.git'), src, 'work');
    writeFileSync(join(d, 'work/.git'), 'gitdir: ../store.git\n');
    const f = await audit(join(d), key).catch((e) => e);
    expect(f).toBeInstanceOf(NotAGitRepositoryError);
    const g = await auditGit({ key, fs: nodeFs(d), dir: 'work', detect: plainDetector });
    expect(g.map((x) => x.file)).toEqual(['.env']);
  });

  it('passes a repository whose history never had the key', async () => {
    const d = cliRepo(fakeKey(), true);
    expect(await audit(d, key)).toEqual([]);
  });

  it('refuses a folder that is not a git repository', async () => {
    const d = tempDir('nogit');
    writeFileSync(join(d, 'a.txt'), key);
    await expect(audit(d, key)).rejects.toBeInstanceOf(NotAGitRepositoryError);
    await expect(audit(d, key)).rejects.toThrow(/not a git repository/);
  });

  it('handles an empty repository (no commits yet)', async () => {
    const d = tempDir('empty');
    sh(d, 'init', '-q');
    expect(await audit(d, key)).toEqual([]);
  });
});
