// "Hiding a key is not removing it": near-solutions kept in lessons/NN-slug/exercise/variants/<name>/
// (the key base64-encoded, split, reversed, copied into public/, echoed in a header …) must still
// fail the checks their variant.json names, on the local engine with real builds and servers.
// A variant that passes means a check can be fooled. Correct alternatives (`"passes": true`: another
// tool, file name or order than the reference) must pass every check: a check that knows only the
// reference solution fails them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlantedKey } from '../../src/lib/exercise/planted-key.ts';
import { plantKey } from '../../src/lib/exercise/plant.ts';
import type { FileMap } from '../../src/lib/fs/types.ts';
import { NodeEngine } from '../../src/engines/local/node-engine.ts';
import { runLocalChecks } from '../../src/engines/local/run-local.ts';
import { readTextTree } from '../../src/node/read-tree.ts';
import { exerciseChapters, lessonsDir, loadExercise } from '../../src/node/load-exercise.ts';
import type { LoadedExercise } from '../../src/node/load-exercise.ts';
import { hiddenKeyForms } from '../unit/lessons-helpers.ts';
import { startExercisePlatform } from '../../src/engines/local/platform.ts';
import { fillDashboardKeys, replayDashboard, type DashboardStep } from './dashboard-steps.ts';

interface Variant {
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

/** Apply a variant's edits; an edit that no longer fits its file fails loudly, naming it. */
function applyEdits(files: FileMap, starter: FileMap, edits: NonNullable<Variant['edits']>, name: string): FileMap {
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

function variantsOf(chapter: string): Array<{ name: string; dir: string; meta: Variant }> {
  const root = join(lessonsDir(), chapter, 'exercise', 'variants');
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ name: e.name, dir: join(root, e.name), meta: JSON.parse(readFileSync(join(root, e.name, 'variant.json'), 'utf8')) as Variant }));
}

/** Fill in the derived placeholders, then the plain one, as the engine would. */
function plantVariant(files: FileMap, key: string): FileMap {
  const forms = hiddenKeyForms(key);
  const out: FileMap = {};
  for (const [path, text] of Object.entries(files)) {
    let t = text;
    for (const [name, value] of Object.entries(forms)) t = t.split(`{{${name}}}`).join(value);
    out[path] = t;
  }
  return plantKey(out, key);
}

for (const chapter of exerciseChapters()) {
  const variants = variantsOf(chapter);
  if (variants.length === 0) continue;
  describe(`${chapter} variants`, () => {
    let ex: LoadedExercise;
    let engine: NodeEngine;
    beforeAll(async () => {
      ex = await loadExercise(chapter);
      engine = await NodeEngine.create();
    });
    afterAll(async () => {
      await engine?.dispose();
    });

    for (const v of variants) {
      const fails = v.meta.fails ?? [];
      it(`${v.name}: ${v.meta.description} ${v.meta.passes ? 'passes' : `fails ${fails.join(', ')}`}`, async () => {
        expect(v.meta.passes === true || fails.length > 0, `variant ${v.name} must name the checks it fails or say "passes": true`).toBe(true);
        const ids = new Set(ex.def.checks.map((c) => c.id));
        for (const id of fails) expect(ids.has(id), `variant ${v.name} names an unknown check "${id}"`).toBe(true);
        const overlay = await readTextTree(v.dir);
        delete overlay['variant.json'];
        const base = { ...(v.meta.base === 'starter' ? ex.starter : ex.solution) };
        for (const path of v.meta.deletes ?? []) {
          expect(path in base, `variant ${v.name} deletes "${path}", which its base does not have`).toBe(true);
          delete base[path];
        }
        const key = generatePlantedKey();
        let files = plantVariant(applyEdits({ ...base, ...overlay }, ex.starter, v.meta.edits ?? [], v.name), key);
        const platform = v.meta.dashboard ? await startExercisePlatform(ex.def, key) : undefined;
        let r;
        try {
          if (platform && v.meta.dashboard) files = fillDashboardKeys(files, await replayDashboard({ url: platform.url, controlToken: platform.controlToken! }, v.meta.dashboard, key));
          r = await runLocalChecks({ def: ex.def, engine, key, files, platform });
        } finally {
          await platform?.close();
        }
        const byId = new Map(r.checks.map((c) => [c.id, c]));
        const report = r.checks.map((c) => `  [${c.status}] ${c.id}: ${c.message.split('\n')[0]}`).join('\n');
        if (v.meta.passes) {
          expect(r.passed, `correct alternative ${v.name} of ${chapter} did not pass:\n${report}`).toBe(true);
          // A correct alternative may still fail an optional check (e.g. a production path it does not take).
          const requiredFails = fails.filter((id) => ex.def.checks.find((c) => c.id === id)?.required !== false);
          expect(requiredFails, `variant ${v.name} passes, so it cannot fail required checks`).toEqual([]);
        } else expect(r.passed, `variant ${v.name} of ${chapter} passed:\n${report}`).toBe(false);
        for (const id of fails) {
          expect(byId.get(id)?.status, `check ${id} should fail for variant ${v.name}:\n${report}`).toBe('fail');
        }
        // Reports never show the key itself.
        expect(JSON.stringify(r)).not.toContain(key);
      });
    }
  });
}
