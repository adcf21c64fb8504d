// Real `astro build` runs over tiny generated courses: a malformed frontmatter must stop the build
// with a message naming the file and the field, and an empty course must still build.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
// The courses can live anywhere; the build output must be inside the project: for an outDir outside
// the working directory Astro puts prerender chunks in the shared ./.astro/.prerender/, and a build
// running at the same time (another test, another person) would break this one.
const work = mkdtempSync(join(tmpdir(), 'lp-content-build-'));
mkdirSync(join(root, '.cache'), { recursive: true });
const outRoot = mkdtempSync(join(root, '.cache', 'content-build-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(outRoot, { recursive: true, force: true });
});

function build(name: string, chapters: Record<string, string>) {
  const course = join(work, name, 'course');
  mkdirSync(course, { recursive: true });
  for (const [folder, mdx] of Object.entries(chapters)) {
    mkdirSync(join(course, folder), { recursive: true });
    writeFileSync(join(course, folder, 'index.mdx'), mdx);
  }
  const outDir = join(outRoot, name);
  const astro = join(root, 'node_modules/astro/bin/astro.mjs');
  const r = spawnSync(process.execPath, [astro, 'build'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LEAKPROOF_LESSONS_DIR: course, LEAKPROOF_OUT_DIR: outDir, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}`, outDir, course };
}

// A full build takes 10–60 s depending on the machine's load.
describe('astro build of the lessons collection', { timeout: 240_000 }, () => {
  it('fails on a malformed frontmatter, naming the file and the field', () => {
    const r = build('broken', {
      '01-bad': '---\ntitle: Bad chapter\nsummary: s\nobjectives:\n  - o\nminutes: ten\norder: 1\n---\n\nText\n',
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('lessons → 01-bad data does not match collection schema.');
    expect(r.output).toContain('minutes: must be a whole number, e.g. `minutes: 15` (got "ten").');
    expect(r.output).toContain(join(r.course, '01-bad/index.mdx'));
  });

  it('builds a course with no chapters yet', () => {
    const r = build('empty', {});
    expect(r.status, r.output).toBe(0);
    expect(existsSync(join(r.outDir, '404.html'))).toBe(true);
    expect(readFileSync(join(r.outDir, 'index.html'), 'utf8')).toContain('No chapters yet.');
  });
});
