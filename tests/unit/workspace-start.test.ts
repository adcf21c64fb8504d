// Which file the workspace shows first: the same answer for the plain text editor and for Monaco.
import { describe, expect, it } from 'vitest';
import { firstFile, startingFile } from '../../src/lib/workspace/start.ts';

const ws = (paths: string[], folders: string[] = []) => ({ files: Object.fromEntries(paths.map((p) => [p, ''])), folders });

describe('firstFile', () => {
  it('prefers the README, then the entry file, over what sorts first', () => {
    expect(firstFile(ws(['public/favicon.svg', 'server.js', 'README.md']))).toBe('README.md');
    expect(firstFile(ws(['public/favicon.svg', '.env', 'server.js']))).toBe('server.js');
    expect(firstFile(ws(['.env', 'index.js', 'src/main.js']))).toBe('index.js');
  });
  it('falls back to the first file in tree order (folders first), and null for no files', () => {
    expect(firstFile(ws(['b.txt', 'a/z.txt']))).toBe('a/z.txt');
    expect(firstFile(ws(['b.txt', '.gitignore']))).toBe('.gitignore');
    expect(firstFile(ws([], ['empty']))).toBeNull();
  });
});

describe('startingFile', () => {
  const files = ws(['README.md', 'server.js', '.env']);
  it('comes back to the file the learner had active', () => {
    expect(startingFile(files, { tabs: ['server.js', '.env'], active: '.env' })).toBe('.env');
  });
  it('skips a saved file that no longer exists: first saved tab still there, else the starting point', () => {
    expect(startingFile(files, { tabs: ['gone.js', 'server.js'], active: 'gone.js' })).toBe('server.js');
    expect(startingFile(files, { tabs: ['gone.js'], active: null })).toBe('README.md');
    expect(startingFile(files, null)).toBe('README.md');
  });
});
