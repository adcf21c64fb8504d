// The frontmatter of a chapter (lessons/NN-slug/index.mdx). Pure zod: used by src/content.config.ts
// at build time and by unit tests. Every message says what is wrong and how to fix it, because the
// person reading it is a chapter author looking at a failed build.
import { z } from 'zod';

const wholeNumber = (field: string, example: string, min: number, max: number) =>
  z
    .number({
      error: (iss) =>
        iss.input === undefined
          ? `missing: add \`${field}: ${example}\` to the frontmatter.`
          : `must be a whole number, e.g. \`${field}: ${example}\` (got ${JSON.stringify(iss.input)}).`,
    })
    .int({ error: `must be a whole number, e.g. \`${field}: ${example}\`.` })
    .min(min, { error: `must be at least ${min}, e.g. \`${field}: ${example}\`.` })
    .max(max, { error: `must be at most ${max}.` });

const text = (field: string, example: string, max: number) =>
  z
    .string({
      error: (iss) =>
        iss.input === undefined
          ? `missing: add \`${field}: ${example}\` to the frontmatter.`
          : `must be text, e.g. \`${field}: ${example}\`.`,
    })
    .trim()
    .min(1, { error: `must not be empty, e.g. \`${field}: ${example}\`.` })
    .max(max, { error: `is too long: keep it under ${max} characters.` });

/** A folder inside the chapter folder: relative, forward slashes, never leaving the chapter. */
const chapterFolder = z
  .string({ error: 'must be the name of a folder inside the chapter, e.g. `exercise: exercise`.' })
  .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/, {
    error: 'must be a relative folder inside the chapter without `..`, e.g. `exercise: exercise`.',
  });

export const facilitatorSchema = z.strictObject(
  {
    /** Minutes to plan for this chapter in a live workshop (often more than `minutes`). */
    minutes: wholeNumber('facilitator.minutes', '25', 1, 480).optional(),
    /** What an instructor prepares before the session ("a second browser tab with the dashboard"). */
    prepare: z.array(text('facilitator.prepare[]', 'Open the mock dashboard', 300)).optional(),
  },
  { error: (iss) => unknownKeysMessage(iss, ['minutes', 'prepare']) },
);

export const lessonSchema = z.strictObject(
  {
    /** Chapter title, shown in the page heading, the home page list and the browser tab. */
    title: text('title', 'Keep the key out of your code', 90),
    /** One or two sentences for the home page list and the page description. */
    summary: text('summary', 'Move the key from the source file into an environment variable.', 280),
    /** What the learner can do after the chapter; shown as a list at the top of the chapter. */
    objectives: z
      .array(text('objectives[]', 'Load the key from process.env', 200), {
        error: 'must be a list of learning objectives, e.g.\n    objectives:\n      - Load the key from process.env',
      })
      .min(1, { error: 'needs at least one learning objective.' }),
    /** Estimated minutes to read the chapter and do its exercise. */
    minutes: wholeNumber('minutes', '15', 1, 240),
    /** Position in the course (1 = first). Unique across chapters. */
    order: wholeNumber('order', '1', 1, 999),
    /**
     * Folder of the chapter's exercise, relative to the chapter folder (usually `exercise`): it
     * holds files/ (the starter), solution/ and checks.ts. Leave out for a chapter with no exercise.
     */
    exercise: chapterFolder.optional(),
    /** Workshop planning for the facilitator view. */
    facilitator: facilitatorSchema.optional(),
    /** Hide the chapter from the built site while it is being written. */
    draft: z.boolean({ error: 'must be `true` or `false`.' }).default(false),
  },
  {
    error: (iss) =>
      unknownKeysMessage(iss, ['title', 'summary', 'objectives', 'minutes', 'order', 'exercise', 'facilitator', 'draft']),
  },
);

function unknownKeysMessage(iss: { code?: string; keys?: string[]; input?: unknown }, known: string[]): string | undefined {
  if (iss.code === 'unrecognized_keys') {
    const keys = (iss.keys ?? []).map((k) => `\`${k}\``).join(', ');
    return `unknown field ${keys}: check the spelling; allowed fields are ${known.join(', ')}.`;
  }
  if (iss.code === 'invalid_type') return 'the frontmatter must be a YAML map of fields (title, summary, …).';
  return undefined;
}

/** Frontmatter as written by authors (before defaults). */
export type LessonInput = z.input<typeof lessonSchema>;
/** Frontmatter after validation. */
export type Lesson = z.infer<typeof lessonSchema>;

/**
 * Issue list in the same shape Astro prints for a content entry that does not match its schema
 * ("**field**: message"), headed by the file. Used by tests and by tools that validate lessons
 * outside Astro.
 */
export function formatLessonIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
    return path ? `  **${path}**: ${issue.message}` : `  ${issue.message}`;
  });
  return [`${file}: frontmatter does not match the lesson schema.`, ...lines].join('\n');
}
