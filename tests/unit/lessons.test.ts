// Consistency of the real course's chapters, without running anything: frontmatter matches the
// schema, every check has a hint and an `explain` anchor that exists in the chapter, the chapter has
// what every chapter must have (knowledge check, facilitator notes, the closing scan command), and
// the exercise projects are pinned and planted. The slow proof (starter fails, solution passes) is
// tests/exercises/lessons.test.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { lessonSchema, formatLessonIssues } from '../../src/lib/schemas/lesson.ts';
import type { ExerciseDefinition } from '../../src/lib/exercise/define.ts';
import { LESSONS, chapters, headingIds, read, slug, splitFrontmatter, walk } from './lessons-helpers.ts';

// Built at run time: the real-key marker must never be written in the repository.
const REAL_KEY_MARKER = 'T3Blbk' + 'FJ';
const HIDING = 'Hiding a key is not removing it';

describe('slug', () => {
  it('makes the ids Astro gives headings', () => {
    expect(slug('Keep the .env file out of git')).toBe('keep-the-env-file-out-of-git');
    expect(slug('The fix: a backend proxy')).toBe('the-fix-a-backend-proxy');
    expect(slug('Exercise: move the call behind /api/chat')).toBe('exercise-move-the-call-behind-apichat');
    expect(slug("Use Vite's `server.proxy`")).toBe('use-vites-serverproxy');
  });
  it('ignores headings inside code fences', () => {
    expect(headingIds('## One\n```sh\n## not a heading\n```\n### Two')).toEqual(['one', 'two']);
  });
});

const list = chapters();

describe('the course', () => {
  it('has chapters 1 to 3', () => {
    expect(list).toEqual(expect.arrayContaining(['01-habits', '02-env-vars', '03-backend-proxy']));
  });
  it('gives every chapter its own order, matching its folder number', () => {
    const orders = list.map((c) => (parseYaml(splitFrontmatter(read(join(LESSONS, c, 'index.mdx'))).frontmatter) as { order: number }).order);
    expect(new Set(orders).size).toBe(orders.length);
    list.forEach((c, i) => expect(orders[i], c).toBe(parseInt(c, 10)));
  });
});

// What CHAPTERS.md asks of every page, checked where it is already true (chapters 1–3, issue 13);
// add a chapter here once it has them.
const PAGE_STANDARD = ['01-habits', '02-env-vars', '03-backend-proxy'];
const existingNumbers = new Set(list.map((c) => parseInt(c, 10)));

for (const chapter of list.filter((c) => PAGE_STANDARD.includes(c))) {
  const { body } = splitFrontmatter(read(join(LESSONS, chapter, 'index.mdx')));
  const ids = headingIds(body);
  describe(`${chapter} page standard`, () => {
    it('has prerequisites first and key points at the end', () => {
      expect(ids[0]).toBe('before-you-start');
      expect(ids).toContain('key-points');
      expect(ids.indexOf('key-points')).toBeGreaterThan(ids.indexOf('do-this-in-your-own-project'));
    });
    it('gives PowerShell equivalents of its shell commands', () => {
      expect(body).toMatch(/PowerShell/);
    });
    it('names only chapters that exist ("chapter N", "chapters N and M")', () => {
      const named = [...body.matchAll(/\bchapters? (\d+)(?: (?:and|or|to) (\d+))?/gi)].flatMap((m) => [m[1], m[2]].filter(Boolean).map(Number));
      for (const n of named) expect(existingNumbers.has(n), `${chapter} mentions chapter ${n}, which does not exist`).toBe(true);
    });
    it('tells a leaked key to be revoked first, never "rotate" alone', () => {
      expect(body).not.toMatch(/leaked[^.]*rotate it/i);
    });
  });
}

for (const chapter of list) {
  const dir = join(LESSONS, chapter);
  const mdx = read(join(dir, 'index.mdx'));
  const { frontmatter, body } = splitFrontmatter(mdx);
  const ids = headingIds(body);

  describe(chapter, () => {
    it('has frontmatter that matches the lesson schema', () => {
      const r = lessonSchema.safeParse(parseYaml(frontmatter));
      expect(r.success, r.success ? '' : formatLessonIssues(`${chapter}/index.mdx`, r.error)).toBe(true);
    });

    it('has unique heading ids', () => {
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    });

    it('has 3 to 5 knowledge-check questions, each option explained', () => {
      const checks = body.match(/<KnowledgeCheck\b[\s\S]*?\/>/g) ?? [];
      expect(checks.length).toBeGreaterThanOrEqual(3);
      expect(checks.length).toBeLessThanOrEqual(5);
      for (const kc of checks) {
        const options = (kc.match(/\{\s*text:/g) ?? []).length;
        const explained = (kc.match(/explanation:\s*'[^']+'/g) ?? []).length;
        expect(options, kc.slice(0, 80)).toBeGreaterThanOrEqual(2);
        expect(explained, kc.slice(0, 80)).toBe(options);
        const answer = Number(/answer=\{(\d+)\}/.exec(kc)?.[1]);
        expect(answer).toBeLessThan(options);
      }
    });

    it('has facilitator notes with timing and common mistakes', () => {
      const notes = /<FacilitatorNotes>([\s\S]*?)<\/FacilitatorNotes>/.exec(body)?.[1] ?? '';
      expect(notes).toMatch(/Timing/);
      expect(notes).toMatch(/Mistakes learners make/);
    });

    it('ends with "Do this in your own project", including `npx leakproof scan .`', () => {
      expect(ids).toContain('do-this-in-your-own-project');
      const closing = body.slice(body.indexOf('## Do this in your own project'));
      expect(closing).toContain('npx leakproof scan .');
    });

    it('explains that hiding a key is not removing it', () => {
      expect(ids).toContain('hiding-a-key-is-not-removing-it');
    });

    it('never contains the real-key marker', () => {
      for (const file of walk(dir)) expect(read(join(dir, file)).includes(REAL_KEY_MARKER), file).toBe(false);
    });

    if (!existsSync(join(dir, 'exercise', 'checks.ts'))) return;

    describe('exercise', () => {
      const load = async () =>
        ((await import(pathToFileURL(join(dir, 'exercise', 'checks.ts')).href)) as { default: ExerciseDefinition }).default;

      it('names its own chapter', async () => {
        expect((await load()).chapter).toBe(chapter);
      });

      it('has unique check ids, a hint for every check and an explain anchor that exists in the chapter', async () => {
        const def = await load();
        const checkIds = def.checks.map((c) => c.id);
        expect(new Set(checkIds).size).toBe(checkIds.length);
        for (const c of def.checks) {
          expect(c.hint.trim().length, `${c.id} needs a hint`).toBeGreaterThan(20);
          expect(c.explain, `${c.id} needs an explain anchor`).toMatch(/^#[a-z0-9-]+$/);
          expect(ids, `${c.id} points to ${c.explain}, which is not a heading of ${chapter}/index.mdx`).toContain(c.explain!.slice(1));
        }
      });

      it('tells the learner, in a hint, that hiding a key is not removing it', async () => {
        const def = await load();
        expect(def.checks.some((c) => c.hint.includes(HIDING))).toBe(true);
      });

      it('checks that no committed file holds the key', async () => {
        const def = await load();
        expect(def.checks.some((c) => c.kind === 'no-key-in' && c.target === 'source')).toBe(true);
      });

      it('plants the key in the starter and in the solution', () => {
        const starter = walk(join(dir, 'exercise', 'files')).map((f) => read(join(dir, 'exercise', 'files', f)));
        const solution = walk(join(dir, 'exercise', 'solution')).map((f) => read(join(dir, 'exercise', 'solution', f)));
        expect(starter.some((t) => t.includes('{{PLANTED_KEY}}'))).toBe(true);
        expect(solution.some((t) => t.includes('{{PLANTED_KEY}}'))).toBe(true);
      });

      it('pins exact dependency versions and ships a lockfile that matches package.json', () => {
        const pkg = JSON.parse(read(join(dir, 'exercise', 'files', 'package.json'))) as Record<string, Record<string, string> | undefined>;
        const lock = JSON.parse(read(join(dir, 'exercise', 'files', 'package-lock.json'))) as {
          packages: Record<string, { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
        };
        for (const field of ['dependencies', 'devDependencies'] as const) {
          for (const [name, version] of Object.entries(pkg[field] ?? {})) {
            expect(version, `${name} must be pinned to an exact version`).toMatch(/^\d+\.\d+\.\d+$/);
          }
          expect(lock.packages['']?.[field] ?? {}).toEqual(pkg[field] ?? {});
        }
        const solutionPkg = join(dir, 'exercise', 'solution', 'package.json');
        if (existsSync(solutionPkg)) {
          const sol = JSON.parse(read(solutionPkg)) as Record<string, unknown>;
          expect(sol.dependencies ?? {}, 'the solution must not change dependencies: the lockfile is shared').toEqual(pkg.dependencies ?? {});
          expect(sol.devDependencies ?? {}).toEqual(pkg.devDependencies ?? {});
        }
      });

      it('names only real checks in its variants', async () => {
        const def = await load();
        const known = new Set(def.checks.map((c) => c.id));
        const variants = walk(join(dir, 'exercise', 'variants')).filter((f) => f.endsWith('variant.json'));
        for (const v of variants) {
          const meta = JSON.parse(read(join(dir, 'exercise', 'variants', v))) as { fails?: string[]; passes?: boolean };
          // A hiding attempt names the checks it fails; a correct alternative says "passes": true
          // (and may name optional checks it must still fail).
          const fails = meta.fails ?? [];
          const optional = new Set(def.checks.filter((c) => c.required === false).map((c) => c.id));
          expect(meta.passes === true ? fails.every((id) => optional.has(id)) : fails.length > 0, v).toBe(true);
          for (const id of fails) expect(known.has(id), `${v} names unknown check ${id}`).toBe(true);
        }
      });
    });
  });
}
