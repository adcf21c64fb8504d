import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readExerciseFiles } from '../../src/utils/exercise-files.ts';
import { lessonsDir, lessonsPath } from '../../src/utils/lessons-dir.ts';

let dir = '';
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function project(files: Record<string, string | Uint8Array>): string {
  dir = mkdtempSync(join(tmpdir(), 'lp-exercise-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, 'files', path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

describe('readExerciseFiles', () => {
  it('reads nested files and dotfiles, keeps the key placeholder, sorts paths', async () => {
    const files = await readExerciseFiles(
      project({ 'src/client.js': 'x', '.env': 'OPENAI_API_KEY={{PLANTED_KEY}}\n', 'package.json': '{}', '.gitignore': 'node_modules\n' }),
    );
    expect(files).toEqual({
      '.env': 'OPENAI_API_KEY={{PLANTED_KEY}}\n',
      '.gitignore': 'node_modules\n',
      'package.json': '{}',
      'src/client.js': 'x',
    });
    expect(Object.keys(files)).toEqual(['.env', '.gitignore', 'package.json', 'src/client.js']);
  });

  it('skips node_modules and .git', async () => {
    expect(await readExerciseFiles(project({ 'a.js': '1', 'node_modules/x/index.js': '2', '.git/HEAD': 'ref' }))).toEqual({ 'a.js': '1' });
  });

  it('refuses binary files with a message naming the file', async () => {
    await expect(readExerciseFiles(project({ 'img/logo.png': new Uint8Array([137, 80, 0, 1]), 'a.js': '1' }))).rejects.toThrow(
      /holds binary files the workspace cannot show: img\/logo\.png\. Remove them/,
    );
  });

  it('says how to fix a missing files/ folder', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lp-exercise-'));
    await expect(readExerciseFiles(dir)).rejects.toThrow(/has no files\/ folder.*remove `exercise:`/);
  });

  it('reads the fixture course starter', async () => {
    const files = await readExerciseFiles(join(import.meta.dirname, '../fixtures/course/01-first-steps/exercise'));
    expect(files['.env']).toBe('OPENAI_API_KEY={{PLANTED_KEY}}\n');
    expect(Object.keys(files)).toContain('src/client.js');
  });
});

describe('lessonsDir', () => {
  it('defaults to lessons/ and honours LEAKPROOF_LESSONS_DIR', () => {
    expect(lessonsDir({})).toBe('lessons');
    expect(lessonsDir({ LEAKPROOF_LESSONS_DIR: 'tests/fixtures/course' })).toBe('tests/fixtures/course');
    expect(String(lessonsDir({ LEAKPROOF_LESSONS_DIR: '/srv/course' }))).toBe('file:///srv/course/');
    expect(lessonsPath({ LEAKPROOF_LESSONS_DIR: 'x' }, '/repo')).toBe('/repo/x');
  });
});
