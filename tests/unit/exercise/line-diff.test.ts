import { describe, expect, it } from 'vitest';
import { lineDiff, projectDiff } from '../../../src/components/check-panel/line-diff.ts';

describe('lineDiff', () => {
  it('keeps common lines and marks removed and added ones', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'c' },
    ]);
  });
  it('has no changes for equal text', () => {
    expect(lineDiff('a\nb', 'a\nb').every((l) => l.op === ' ')).toBe(true);
  });
});

describe('projectDiff', () => {
  it('lists changed, added and removed files only', () => {
    const d = projectDiff({ 'a.js': 'same', 'b.js': 'old', 'gone.js': 'x' }, { 'a.js': 'same', 'b.js': 'new', '.gitignore': '.env' });
    expect(d.map((c) => [c.path, c.kind])).toEqual([
      ['.gitignore', 'added'],
      ['b.js', 'changed'],
      ['gone.js', 'removed'],
    ]);
  });
});
