// The course: one entry per chapter folder (lessons/NN-slug/index.mdx). LEAKPROOF_LESSONS_DIR picks
// another course folder, e.g. the fixture course the end-to-end tests build.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './lib/schemas/lesson.ts';
import { lessonsDir } from './utils/lessons-dir.ts';

const lessons = defineCollection({
  loader: glob({
    pattern: '*/index.mdx',
    base: lessonsDir(),
    // The id is the chapter's folder name ("01-habits"): URLs, saved progress and exercises use it.
    generateId: ({ entry }) => entry.split('/')[0]!,
  }),
  schema: lessonSchema,
});

export const collections = { lessons };
