import { describe, expect, it } from 'vitest';
import { continueChapter } from '../../../src/lib/progress/continue.ts';
import type { ChapterState } from '../../../src/lib/progress/types.ts';

const order = ['01', '02', '03', '04'];
const states = (s: Record<string, ChapterState>) => (id: string) => s[id] ?? 'not-started';

describe('continueChapter', () => {
  it('returns the chapter the learner was in while it is not passed', () => {
    expect(continueChapter(order, states({ '02': 'in-progress' }), '02')).toBe('02');
  });
  it('after a pass, points to the next chapter not passed, skipping passed ones', () => {
    expect(continueChapter(order, states({ '01': 'passed' }), '01')).toBe('02');
    expect(continueChapter(order, states({ '02': 'passed', '03': 'passed' }), '02')).toBe('04');
  });
  it('wraps to the first unfinished chapter when everything after is passed', () => {
    expect(continueChapter(order, states({ '03': 'passed', '04': 'passed' }), '04')).toBe('01');
  });
  it('is null when every chapter is passed: the course is complete', () => {
    expect(continueChapter(order, states({ '01': 'passed', '02': 'passed', '03': 'passed', '04': 'passed' }), '02')).toBeNull();
  });
  it('starts at the first chapter without a last one, or with an unknown one', () => {
    expect(continueChapter(order, states({}), null)).toBe('01');
    expect(continueChapter(order, states({}), 'gone')).toBe('01');
  });
});
