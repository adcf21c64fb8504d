import { describe, expect, it } from 'vitest';
import { ChapterNotFoundError, exerciseChapters, loadExercise, resolveChapter } from '../../../src/node/load-exercise.ts';

const dir = 'tests/fixtures/exercises';

describe('load-exercise', () => {
  it('finds chapters with an exercise, by folder name or number', () => {
    expect(exerciseChapters(dir)).toEqual(['01-fixture-proxy', '02-fixture-paste']);
    expect(resolveChapter('2', dir)).toBe('02-fixture-paste');
    expect(resolveChapter('02', dir)).toBe('02-fixture-paste');
    expect(resolveChapter('01-fixture-proxy/', dir)).toBe('01-fixture-proxy');
  });
  it('names the known chapters when one is unknown', () => {
    expect(() => resolveChapter('9', dir)).toThrow(ChapterNotFoundError);
    expect(() => resolveChapter('nope', dir)).toThrow(/01-fixture-proxy\n\s+02-fixture-paste/);
  });
  it('loads starter (dotfiles included), solution overlay and checks', async () => {
    const ex = await loadExercise('1', dir);
    expect(ex.def.chapter).toBe('01-fixture-proxy');
    expect(ex.starter['.env']).toContain('{{PLANTED_KEY}}');
    expect(ex.starter['.gitignore']).toBeUndefined();
    expect(ex.solution['.gitignore']).toContain('.env');
    expect(ex.solution['build.mjs']).toBe(ex.starter['build.mjs']);
    expect(ex.solution['app.mjs']).toContain('process.env.OPENAI_API_KEY');
  });
});
