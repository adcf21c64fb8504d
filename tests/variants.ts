// Variants of a chapter's exercise (lessons/NN-slug/exercise/variants/<name>/variant.json): hiding
// attempts that must fail named checks and correct alternatives that must pass. One reader for every
// test that runs them (the local engine in tests/exercises, the in-browser engine in tests/unit), so
// a new variant field cannot be understood by one and misread by the other.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileMap } from '../src/lib/fs/types.ts';
import { plantKey } from '../src/lib/exercise/plant.ts';
import type { LoadedExercise } from '../src/node/load-exercise.ts';
import { lessonsDir } from '../src/node/load-exercise.ts';
import { readTextTree } from '../src/node/read-tree.ts';
import { hiddenKeyForms } from './unit/lessons-helpers.ts';
import type { DashboardStep } from './exercises/dashboard-steps.ts';

export interface Variant {
  description: string;
  base?: 'solution' | 'starter';
  /** Check ids this hiding attempt must fail; absent for a correct alternative. */
  fails?: string[];
  /** A correct alternative to the reference solution: every required check must pass (`fails` may then name optional checks it must fail). */
  passes?: boolean;
  /** The smallest change, without copying whole files: replace `find` (which must occur exactly once) by `replace`, or take the starter's version of the file (`from: "starter"`). */
  edits?: Array<{ file: string; find?: string; replace?: string; from?: 'starter' }>;
  /** Paths of the base the variant removes (e.g. `.env` when the key moves to `.env.local`). */
  deletes?: string[];
  /** Done in the dashboard panel: course-control steps replayed on the chapter's platform first (dashboard-steps.ts). */
  dashboard?: DashboardStep[];
}

export interface VariantEntry {
  name: string;
  dir: string;
  meta: Variant;
}

export function variantsOf(chapter: string): VariantEntry[] {
  const root = join(lessonsDir(), chapter, 'exercise', 'variants');
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ name: e.name, dir: join(root, e.name), meta: JSON.parse(readFileSync(join(root, e.name, 'variant.json'), 'utf8')) as Variant }));
}

/** Apply a variant's edits; an edit that no longer fits its file fails loudly, naming it. */
export function applyEdits(files: FileMap, starter: FileMap, edits: NonNullable<Variant['edits']>, name: string): FileMap {
  const out = { ...files };
  for (const e of edits) {
    if (e.from === 'starter') {
      if (starter[e.file] === undefined) throw new Error(`variant ${name}: the starter has no ${e.file}`);
      out[e.file] = starter[e.file]!;
      continue;
    }
    const text = out[e.file];
    if (text === undefined) throw new Error(`variant ${name}: no file ${e.file} to edit`);
    const at = e.find === undefined ? -1 : text.indexOf(e.find);
    if (at < 0 || text.indexOf(e.find!, at + 1) >= 0) throw new Error(`variant ${name}: "${e.find?.slice(0, 60)}" must occur exactly once in ${e.file}; did the solution change?`);
    out[e.file] = text.slice(0, at) + (e.replace ?? '') + text.slice(at + e.find!.length);
  }
  return out;
}

/** Fill in the derived placeholders, then the plain one, as the engine would. */
export function plantVariant(files: FileMap, key: string): FileMap {
  const forms = hiddenKeyForms(key);
  const out: FileMap = {};
  for (const [path, text] of Object.entries(files)) {
    let t = text;
    for (const [name, value] of Object.entries(forms)) t = t.split(`{{${name}}}`).join(value);
    out[path] = t;
  }
  return plantKey(out, key);
}

/**
 * The variant's project with the key planted: its base (solution or starter) minus `deletes`, its
 * own files laid over, its edits applied. Throws when a delete or an edit no longer fits the base.
 */
export async function variantFiles(ex: LoadedExercise, v: VariantEntry, key: string): Promise<FileMap> {
  const overlay = await readTextTree(v.dir);
  delete overlay['variant.json'];
  const base = { ...(v.meta.base === 'starter' ? ex.starter : ex.solution) };
  for (const path of v.meta.deletes ?? []) {
    if (!(path in base)) throw new Error(`variant ${v.name} deletes "${path}", which its base does not have`);
    delete base[path];
  }
  return plantVariant(applyEdits({ ...base, ...overlay }, ex.starter, v.meta.edits ?? [], v.name), key);
}
