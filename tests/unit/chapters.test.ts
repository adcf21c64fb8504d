import { describe, expect, it } from 'vitest';
import { END_PAGE, chapterHref, neighbours, orderChapters } from '../../src/utils/chapters.ts';

const ch = (id: string, order: number, draft = false) => ({ id, data: { order, title: `T${id}`, draft } });

describe('orderChapters', () => {
  it('sorts by order, not by folder name', () => {
    expect(orderChapters([ch('b', 2), ch('c', 10), ch('a', 1)]).map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });
  it('leaves drafts out', () => {
    expect(orderChapters([ch('a', 1), ch('b', 2, true)]).map((c) => c.id)).toEqual(['a']);
  });
  it('refuses two chapters with the same order and names both', () => {
    expect(() => orderChapters([ch('01-a', 1), ch('02-b', 1)])).toThrow(
      'Chapters "01-a" and "02-b" both have `order: 1`. Give each chapter its own order number.',
    );
  });
  it('handles an empty course', () => {
    expect(orderChapters([])).toEqual([]);
  });
});

describe('neighbours', () => {
  const list = [ch('a', 1), ch('b', 2), ch('c', 3)];
  it('links previous and next', () => {
    expect(neighbours(list, 'b')).toEqual({
      prev: { id: 'a', title: 'Ta', href: '/chapters/a/' },
      next: { id: 'c', title: 'Tc', href: '/chapters/c/' },
    });
  });
  it('has no previous on the first and no next on the last', () => {
    expect(neighbours(list, 'a').prev).toBeUndefined();
    expect(neighbours(list, 'c').next).toBeUndefined();
  });
  it('leads the last chapter on to the end page when given one', () => {
    expect(neighbours(list, 'c', END_PAGE).next).toEqual({ id: 'end', title: 'The end of the course: your results and record', href: '/end/' });
    expect(neighbours(list, 'b', END_PAGE).next?.id).toBe('c');
  });
  it('builds chapter URLs from the folder name', () => {
    expect(chapterHref('01-habits')).toBe('/chapters/01-habits/');
  });
});
