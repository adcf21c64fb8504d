import { describe, expect, it } from 'vitest';
import { formatLessonIssues, lessonSchema } from '../../src/lib/schemas/lesson.ts';

const valid = {
  title: 'Keep the key out of your code',
  summary: 'Move the key into an environment variable.',
  objectives: ['Load the key from process.env'],
  minutes: 15,
  order: 1,
};

function issues(data: unknown): string {
  const r = lessonSchema.safeParse(data);
  if (r.success) throw new Error('expected the frontmatter to be rejected');
  return formatLessonIssues('lessons/01-habits/index.mdx', r.error);
}

describe('lessonSchema', () => {
  it('accepts a complete frontmatter and fills defaults', () => {
    const data = lessonSchema.parse({ ...valid, exercise: 'exercise', facilitator: { minutes: 25, prepare: ['Open the dashboard'] } });
    expect(data).toEqual({ ...valid, exercise: 'exercise', facilitator: { minutes: 25, prepare: ['Open the dashboard'] }, draft: false });
  });

  it('accepts a chapter without an exercise', () => {
    expect(lessonSchema.parse(valid).exercise).toBeUndefined();
  });

  it('names every missing field and says what to add', () => {
    expect(issues({})).toBe(
      [
        'lessons/01-habits/index.mdx: frontmatter does not match the lesson schema.',
        '  **title**: missing: add `title: Keep the key out of your code` to the frontmatter.',
        '  **summary**: missing: add `summary: Move the key from the source file into an environment variable.` to the frontmatter.',
        '  **objectives**: must be a list of learning objectives, e.g.',
        '    objectives:',
        '      - Load the key from process.env',
        '  **minutes**: missing: add `minutes: 15` to the frontmatter.',
        '  **order**: missing: add `order: 1` to the frontmatter.',
      ].join('\n'),
    );
  });

  it('rejects wrong types with an example of the right one', () => {
    const text = issues({ ...valid, minutes: 'ten', order: 1.5 });
    expect(text).toContain('**minutes**: must be a whole number, e.g. `minutes: 15` (got "ten").');
    expect(text).toContain('**order**: must be a whole number, e.g. `order: 1`.');
  });

  it('rejects empty text and an empty objectives list', () => {
    const text = issues({ ...valid, title: '   ', objectives: [] });
    expect(text).toContain('**title**: must not be empty');
    expect(text).toContain('**objectives**: needs at least one learning objective.');
  });

  it('points at the bad objective by index', () => {
    expect(issues({ ...valid, objectives: ['ok', 3] })).toContain('**objectives[1]**: must be text');
  });

  it('catches misspelt fields instead of ignoring them', () => {
    expect(issues({ ...valid, minuts: 10 })).toContain('unknown field `minuts`: check the spelling; allowed fields are title, summary');
    expect(issues({ ...valid, facilitator: { minute: 3 } })).toContain('**facilitator**: unknown field `minute`');
  });

  it('keeps the exercise folder inside the chapter', () => {
    for (const bad of ['../other/exercise', '/etc', 'exercise/../../x', '']) {
      expect(issues({ ...valid, exercise: bad })).toContain('**exercise**: must be a relative folder inside the chapter');
    }
    expect(lessonSchema.parse({ ...valid, exercise: 'exercises/part-1' }).exercise).toBe('exercises/part-1');
  });

  it('bounds minutes to something plausible', () => {
    expect(issues({ ...valid, minutes: 0 })).toContain('**minutes**: must be at least 1');
    expect(issues({ ...valid, minutes: 1000 })).toContain('**minutes**: must be at most 240.');
  });
});
