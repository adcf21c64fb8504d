// The course manifest (src/lib/record/schema.ts) from the chapter folders on disk: the end page
// embeds it at build time and `leakproof verify` recomputes it, with the same code, so a record
// issued by a build verifies against the same course folder and version.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { canonicalJson, sha256 } from '../lib/record/canonical.ts';
import { courseHash } from '../lib/record/issue.ts';
import type { CourseManifest, ManifestChapter } from '../lib/record/schema.ts';

export const COURSE_NAME = 'Leakproof';

/** package.json "version" of this course. */
export function courseVersion(): string {
  // Next to this file in the source tree (the CLI); from the project root when Astro bundled it.
  const beside = fileURLToPath(new URL('../../package.json', import.meta.url));
  const file = existsSync(beside) && !beside.includes(`${sep}.prerender${sep}`) ? beside : join(process.cwd(), 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/**
 * Hash of what decides a chapter's verdict that lives with the chapter: every .ts file directly in
 * its exercise folder (checks.ts and its helpers), by name and content.
 */
export async function checksHash(exerciseDir: string): Promise<string> {
  const files = readdirSync(exerciseDir)
    .filter((f) => f.endsWith('.ts') && statSync(join(exerciseDir, f)).isFile())
    .sort()
    .map((name) => ({ name, content: readFileSync(join(exerciseDir, name), 'utf8').replace(/\r\n/g, '\n') }));
  return sha256(canonicalJson(files));
}

interface Frontmatter {
  title?: unknown;
  order?: unknown;
  draft?: unknown;
  exercise?: unknown;
}

function frontmatter(file: string): Frontmatter {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`${file} has no frontmatter (--- … ---) at the top.`);
  return (parseYaml(m[1]!) ?? {}) as Frontmatter;
}

/** Published chapters (no `draft: true`) in `order`, with their checks hashes. */
export async function courseManifest(lessonsDir: string): Promise<CourseManifest> {
  if (!existsSync(lessonsDir)) throw new Error(`No course folder at ${lessonsDir}. Run this inside the course folder, or pass --lessons <dir>.`);
  const found: Array<ManifestChapter & { order: number }> = [];
  for (const id of readdirSync(lessonsDir).sort()) {
    const index = join(lessonsDir, id, 'index.mdx');
    if (!existsSync(index)) continue;
    const fm = frontmatter(index);
    if (fm.draft === true) continue;
    const exerciseDir = typeof fm.exercise === 'string' ? join(lessonsDir, id, fm.exercise) : null;
    const hasChecks = exerciseDir !== null && existsSync(join(exerciseDir, 'checks.ts'));
    found.push({ id, title: String(fm.title ?? id), order: Number(fm.order ?? 0), checksHash: hasChecks ? await checksHash(exerciseDir) : null });
  }
  const chapters = found.sort((a, b) => a.order - b.order).map(({ order: _order, ...c }) => c);
  return { name: COURSE_NAME, version: courseVersion(), hash: await courseHash(chapters), chapters };
}
