// "Hiding a key is not removing it": near-solutions kept in lessons/NN-slug/exercise/variants/<name>/
// (the key base64-encoded, split, reversed, copied into public/, echoed in a header …) must still
// fail the checks their variant.json names, on the local engine with real builds and servers.
// A variant that passes means a check can be fooled. Correct alternatives (`"passes": true`: another
// tool, file name or order than the reference) must pass every check: a check that knows only the
// reference solution fails them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlantedKey } from '../../src/lib/exercise/planted-key.ts';
import { NodeEngine } from '../../src/engines/local/node-engine.ts';
import { runLocalChecks } from '../../src/engines/local/run-local.ts';
import { exerciseChapters, loadExercise } from '../../src/node/load-exercise.ts';
import type { LoadedExercise } from '../../src/node/load-exercise.ts';
import { startExercisePlatform } from '../../src/engines/local/platform.ts';
import { fillDashboardKeys, replayDashboard } from './dashboard-steps.ts';
import { variantFiles, variantsOf } from '../variants.ts';

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
        const key = generatePlantedKey();
        let files = await variantFiles(ex, v, key);
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
