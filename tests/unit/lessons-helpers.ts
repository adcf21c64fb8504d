// Shared by the lesson tests: where the chapters are, how their headings become anchors, and the
// disguised forms of a key that the "hiding is not removing" variants use.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const LESSONS = join(import.meta.dirname, '..', '..', 'lessons');

/** Chapter folders (NN-slug) that have an index.mdx. */
export function chapters(): string[] {
  if (!existsSync(LESSONS)) return [];
  return readdirSync(LESSONS)
    .filter((n) => /^\d+-/.test(n) && statSync(join(LESSONS, n)).isDirectory() && existsSync(join(LESSONS, n, 'index.mdx')))
    .sort();
}

export function splitFrontmatter(mdx: string): { frontmatter: string; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(mdx);
  if (!m) throw new Error('index.mdx must start with a --- frontmatter block ---');
  return { frontmatter: m[1]!, body: m[2]! };
}

/** Heading text → id, as Astro (github-slugger) makes it for the headings we write. */
export function slug(text: string): string {
  return text
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Ids of the Markdown headings (## …) outside code fences. */
export function headingIds(body: string): string[] {
  const ids: string[] = [];
  let fence = false;
  for (const line of body.split('\n')) {
    if (/^\s*```/.test(line)) fence = !fence;
    if (fence) continue;
    const m = /^#{2,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) ids.push(slug(m[1]!));
  }
  return ids;
}

/** Every file under a folder, by relative path. */
export function walk(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.name === 'node_modules') return [];
    return e.isDirectory() ? walk(full, base) : [full.slice(base.length + 1)];
  });
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** The disguises a learner might try; variant files name them as {{PLANTED_KEY_…}} placeholders. */
export function hiddenKeyForms(key: string): Record<string, string> {
  const half = Math.floor(key.length / 2);
  return {
    PLANTED_KEY_BASE64: btoa(key),
    PLANTED_KEY_HEX: [...new TextEncoder().encode(key)].map((b) => b.toString(16).padStart(2, '0')).join(''),
    PLANTED_KEY_REVERSED: [...key].reverse().join(''),
    PLANTED_KEY_HALF1: key.slice(0, half),
    PLANTED_KEY_HALF2: key.slice(half),
  };
}
