// Orders the course and links neighbours. Pure data in, data out: pages only display the result.

export interface ChapterLike {
  id: string;
  data: { order: number; title: string; draft?: boolean };
}

export interface ChapterLink {
  id: string;
  title: string;
  href: string;
}

export const chapterHref = (id: string) => `/chapters/${id}/`;

/** The page after the last chapter: results, completion record, "do this in your own project". */
export const END_PAGE: ChapterLink = { id: 'end', title: 'The end of the course: your results and record', href: '/end/' };

/** Published chapters by `order`; two chapters with the same order are an authoring error. */
export function orderChapters<T extends ChapterLike>(entries: readonly T[]): T[] {
  const published = entries.filter((e) => !e.data.draft);
  const byOrder = new Map<number, T>();
  for (const e of published) {
    const other = byOrder.get(e.data.order);
    if (other) {
      throw new Error(
        `Chapters "${other.id}" and "${e.id}" both have \`order: ${e.data.order}\`. Give each chapter its own order number.`,
      );
    }
    byOrder.set(e.data.order, e);
  }
  return [...published].sort((a, b) => a.data.order - b.data.order);
}

export function neighbours(ordered: readonly ChapterLike[], id: string, after?: ChapterLink): { prev?: ChapterLink; next?: ChapterLink } {
  const i = ordered.findIndex((e) => e.id === id);
  if (i < 0) return {};
  const link = (e: ChapterLike | undefined): ChapterLink | undefined =>
    e && { id: e.id, title: e.data.title, href: chapterHref(e.id) };
  return { prev: link(ordered[i - 1]), next: link(ordered[i + 1]) ?? after };
}
