// Where "Continue" leads: the chapter the learner was in, unless they passed it; then the next
// chapter they have not passed (after it, else from the start). Null when every chapter is passed:
// the course is complete.
import type { ChapterState } from './types.ts';

export function continueChapter(order: string[], state: (id: string) => ChapterState, last: string | null): string | null {
  const open = order.filter((id) => state(id) !== 'passed');
  if (open.length === 0) return null;
  if (last && order.includes(last) && state(last) !== 'passed') return last;
  const from = last ? order.indexOf(last) : -1;
  return open.find((id) => order.indexOf(id) > from) ?? open[0]!;
}
