// The real chapters on the in-browser engine: for every chapter whose checks include a bundle check,
// the starter, the solution and every hidden-key variant get the verdict the local engine gives
// (tests/exercises/lessons-variants.test.ts) for each check the browser can run; checks that need
// a runtime are skipped, never passed, so no chapter with one can pass here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InBrowserEngine } from '../../../src/engines/in-browser/engine.ts';
import { browserDecompressors } from '../../../src/engines/in-browser/decompress.ts';
import { missingCapability } from '../../../src/lib/exercise/checks/index.ts';
import { generatePlantedKey } from '../../../src/lib/exercise/planted-key.ts';
import { runChecks } from '../../../src/lib/exercise/run-checks.ts';
import type { FileMap } from '../../../src/lib/fs/types.ts';
import { exerciseChapters, lessonsDir, loadExercise } from '../../../src/node/load-exercise.ts';
import { plantVariant, variantFiles, variantsOf } from '../../variants.ts';
import { nodeBundler } from './helpers.ts';

const engine = new InBrowserEngine({ bundler: nodeBundler });
const caps = engine.capabilities;

for (const chapter of exerciseChapters()) {
  const checksFile = join(lessonsDir(), chapter, 'exercise', 'checks.ts');
  if (!readFileSync(checksFile, 'utf8').includes("target: 'bundle'")) continue;

  describe(`${chapter} on the in-browser engine`, () => {
    /** Run the checks on files in which `key` is planted (plantVariant / variantFiles). */
    const run = async (files: FileMap, key: string) => {
      const ex = await loadExercise(chapter);
      const report = await runChecks(ex.def, { engine, key, files, decompress: browserDecompressors });
      expect(JSON.stringify(report)).not.toContain(key);
      const runnable = new Set(ex.def.checks.filter((c) => missingCapability(c, caps) === null).map((c) => c.id));
      return { ex, report, byId: new Map(report.checks.map((c) => [c.id, c])), runnable };
    };
    const table = (r: Awaited<ReturnType<typeof run>>) => r.report.checks.map((c) => `  [${c.status}] ${c.id}: ${c.message.split('\n')[0]}`).join('\n');

    it('the starter fails its bundle check', async () => {
      const ex = await loadExercise(chapter);
      const key = generatePlantedKey();
      const r = await run(plantVariant(ex.starter, key), key);
      const bundle = ex.def.checks.filter((c) => c.kind === 'no-key-in' && c.target === 'bundle');
      for (const c of bundle) expect(r.byId.get(c.id)?.status, table(r)).toBe('fail');
      expect(r.report.passed).toBe(false);
    }, 90_000);

    it('the solution passes every check the browser can run; the others are skipped, so it is not passed', async () => {
      const ex = await loadExercise(chapter);
      const key = generatePlantedKey();
      const r = await run(plantVariant(ex.solution, key), key);
      for (const c of r.report.checks) expect(c.status, table(r)).toBe(r.runnable.has(c.id) ? 'pass' : 'skipped');
      if (r.runnable.size < ex.def.checks.length) expect(r.report.passed).toBe(false);
    }, 90_000);

    for (const v of variantsOf(chapter)) {
      // Dashboard variants are done on the platform, which the in-browser engine does not run.
      if (v.meta.dashboard) continue;
      const fails = v.meta.fails ?? [];
      const verdict = v.meta.passes ? 'passes every check the browser can run' : 'fails what it names, where the browser can judge it';
      it(`variant ${v.name}: ${verdict}`, async () => {
        const ex = await loadExercise(chapter);
        const key = generatePlantedKey();
        const r = await run(await variantFiles(ex, v, key), key);
        if (v.meta.passes) {
          // A correct alternative: no check the browser runs may fail, except optional ones it names.
          for (const c of r.report.checks) {
            const expected = !r.runnable.has(c.id) ? 'skipped' : fails.includes(c.id) ? 'fail' : 'pass';
            expect(c.status, `${c.id}\n${table(r)}`).toBe(expected);
          }
        } else {
          for (const id of fails) expect(r.byId.get(id)?.status, `${id}\n${table(r)}`).toBe(r.runnable.has(id) ? 'fail' : 'skipped');
          expect(r.report.passed).toBe(false);
        }
      }, 90_000);
    }
  });
}
