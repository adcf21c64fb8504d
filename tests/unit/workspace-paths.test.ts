import { describe, expect, it } from 'vitest';
import { createFile, createFolder, deleteEntry, renameEntry, validatePath, type WorkspaceFiles } from '../../src/lib/workspace/paths.ts';
import { treeRows } from '../../src/lib/workspace/tree.ts';

const ws: WorkspaceFiles = { files: { 'server.js': 'x', 'src/app.js': 'a', 'src/lib/util.js': 'u', '.env': 'K=1' }, folders: ['empty'] };

describe('validatePath', () => {
  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['   ', /empty/],
    ['../secrets', /uses "\.\.", which would leave the project/],
    ['src/../../x', /leave the project/],
    ['/etc/passwd', /absolute path/],
    ['C:\\x', /absolute path/],
    ['~/x', /absolute path/],
    ['src\\a.js', /Separate folders with "\/"/],
    ['a//b', /empty folder name/],
    ['./a', /"\." as a name/],
    ['server.js', /A file named "server.js" already exists/],
    ['src', /A folder named "src" already exists/],
    ['server.js/inner.js', /"server.js" is a file/],
    ['.git/config', /belongs to git/],
    ['a:b', /contains ":"/],
    ['a\u0001b', /control character/],
    ['x'.repeat(300), /longer than 255/],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input.slice(0, 20))}`, () => {
      const r = validatePath(ws, input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(message);
    });
  }
  for (const good of ['.gitignore', '.dockerignore', '.env.example', 'src/routes/chat.js', 'Dockerfile', 'empty/x.txt', ' trimmed.js ', 'new-folder/']) {
    it(`accepts ${JSON.stringify(good)}`, () => {
      const r = validatePath(ws, good);
      expect(r).toEqual({ ok: true, path: good.trim().replace(/\/$/, '') });
    });
  }
  it('lets an entry be renamed to itself but not into itself', () => {
    expect(validatePath(ws, 'src', 'src').ok).toBe(true);
    const r = validatePath(ws, 'src/inner', 'src');
    expect(r.ok).toBe(false);
  });
});

describe('file operations', () => {
  it('creates files and folders, absorbing an empty folder that gets a file', () => {
    const a = createFile(ws, 'empty/.keep', '');
    expect(a.ws.files['empty/.keep']).toBe('');
    expect(a.ws.folders).toEqual([]);
    const b = createFolder(ws, 'config');
    expect(b.ws.folders).toEqual(['config', 'empty']);
    expect(() => createFile(ws, '../x')).toThrow(/leave the project/);
  });

  it('renames a folder with everything inside and reports the moves', () => {
    const r = renameEntry(ws, 'src', 'app');
    expect(Object.keys(r.ws.files).sort()).toEqual(['.env', 'app/app.js', 'app/lib/util.js', 'server.js']);
    expect(r.moved.get('src/lib/util.js')).toBe('app/lib/util.js');
    expect(r.ws.files['app/lib/util.js']).toBe('u');
  });

  it('renames a file, keeping its text, and refuses a duplicate', () => {
    const r = renameEntry(ws, 'server.js', 'src/server.js');
    expect(r.ws.files['src/server.js']).toBe('x');
    expect(r.ws.files['server.js']).toBeUndefined();
    expect(() => renameEntry(ws, 'server.js', '.env')).toThrow(/already exists/);
  });

  it('renames an empty folder', () => {
    const r = renameEntry(ws, 'empty', 'full');
    expect(r.ws.folders).toEqual(['full']);
  });

  it('deletes a folder recursively and keeps a parent whose last file went', () => {
    const r = deleteEntry(ws, 'src');
    expect(r.removed.sort()).toEqual(['src/app.js', 'src/lib/util.js']);
    expect(Object.keys(r.ws.files).sort()).toEqual(['.env', 'server.js']);
    const s = deleteEntry(ws, 'src/lib/util.js');
    expect(s.ws.folders).toContain('src/lib');
    expect(() => deleteEntry(ws, 'nope')).toThrow(/does not exist/);
  });
});

describe('treeRows', () => {
  it('lists folders first, sorted, with depth and expansion', () => {
    const rows = treeRows(ws, new Set(['src']));
    expect(rows.map((r) => `${r.depth}:${r.path}`)).toEqual(['1:empty', '1:src', '2:src/lib', '2:src/app.js', '1:.env', '1:server.js']);
    expect(rows.find((r) => r.path === 'src')?.expanded).toBe(true);
    expect(rows.find((r) => r.path === 'src/lib')?.expanded).toBe(false);
  });
});
