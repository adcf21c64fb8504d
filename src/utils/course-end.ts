// What the end page shows, computed at build time from the published chapters: per chapter its
// objectives and "do this in your own project" checklist; the course manifest the completion
// record is issued against; and links by topic only to chapters that exist.
import { lessonsPath } from './lessons-dir.ts';
import { chapterHref } from './chapters.ts';
import { ownProjectItems } from './own-project.ts';
import { courseManifest } from '../node/course-manifest.ts';
import type { Chapter } from './course.ts';
import type { CourseManifest } from '../lib/record/schema.ts';

export interface EndChapter {
  id: string;
  number: number;
  title: string;
  href: string;
  objectives: string[];
  hasExercise: boolean;
  /** Checklist items, inline markdown (`code`, **bold**). */
  checklist: string[];
}

export async function endPageData(chapters: Chapter[]): Promise<{ chapters: EndChapter[]; manifest: CourseManifest }> {
  const manifest = await courseManifest(lessonsPath());
  const ids = chapters.map((c) => c.id).join(',');
  if (manifest.chapters.map((c) => c.id).join(',') !== ids) {
    throw new Error(`The course manifest (${manifest.chapters.map((c) => c.id).join(', ')}) does not list the published chapters (${ids}); check the chapters' frontmatter.`);
  }
  return {
    manifest,
    chapters: chapters.map((c, i) => ({
      id: c.id,
      number: i + 1,
      title: c.data.title,
      href: chapterHref(c.id),
      objectives: c.data.objectives,
      hasExercise: !!manifest.chapters[i]!.checksHash,
      checklist: ownProjectItems(c.body ?? ''),
    })),
  };
}

/** The published chapter at a course position (DESIGN.md's numbering), or undefined. */
export function chapterAt(chapters: EndChapter[], order: number, idPattern: RegExp): EndChapter | undefined {
  return chapters.find((c) => idPattern.test(c.id)) ?? chapters.find((c) => parseInt(c.id, 10) === order);
}
