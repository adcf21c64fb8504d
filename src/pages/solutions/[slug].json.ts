// A chapter's solved project as a file of its own (/solutions/<chapter>.json), fetched by the check
// panel only when the learner asks to compare or apply it: the solution is not in every page's HTML
// (view-source no longer shows it), and a workshop facilitator still releases it from the panel.
import type { APIRoute, GetStaticPaths } from 'astro';
import { readSolutionFiles } from '../../node/solution-files.ts';
import { getChapters, getExerciseDir, getStarterFiles } from '../../utils/course.ts';

export const getStaticPaths: GetStaticPaths = async () => {
  const out = [];
  for (const chapter of await getChapters()) {
    const starter = await getStarterFiles(chapter);
    const dir = getExerciseDir(chapter);
    if (starter && dir) out.push({ params: { slug: chapter.id }, props: { solution: await readSolutionFiles(dir, starter) } });
  }
  return out;
};

export const GET: APIRoute = ({ props }) =>
  new Response(JSON.stringify((props as { solution: Record<string, string> }).solution), { headers: { 'content-type': 'application/json' } });
