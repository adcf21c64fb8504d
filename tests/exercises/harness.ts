// The content quality gate: for a course folder, every chapter with an exercise must have a starter
// that fails at least one required check and a solution that passes them all, on the local engine
// with real builds and servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlantedKey } from '../../src/lib/exercise/planted-key.ts';
import { plantKey } from '../../src/lib/exercise/plant.ts';
import type { CheckReport } from '../../src/lib/exercise/results.ts';
import { NodeEngine } from '../../src/engines/local/node-engine.ts';
import { runLocalChecks } from '../../src/engines/local/run-local.ts';
import { exerciseChapters, loadExercise } from '../../src/node/load-exercise.ts';
import type { LoadedExercise } from '../../src/node/load-exercise.ts';

function describeReport(r: CheckReport): string {
  return r.checks.map((c) => `  [${c.status}] ${c.id}: ${c.message.split('\n').slice(0, 6).join('\n      ')}`).join('\n');
}

export function exerciseGate(courseDir: string): void {
  const chapters = exerciseChapters(courseDir);
  it(`finds the exercises in ${courseDir}`, () => {
    expect(chapters.length).toBeGreaterThan(0);
  });
  for (const chapter of chapters) {
    describe(chapter, () => {
      let ex: LoadedExercise;
      let engine: NodeEngine;
      beforeAll(async () => {
        ex = await loadExercise(chapter, courseDir);
        engine = await NodeEngine.create();
      });
      afterAll(async () => {
        await engine?.dispose();
      });

      it('the starter fails at least one required check', async () => {
        const key = generatePlantedKey();
        const files = plantKey(ex.starter, key);
        const r = await runLocalChecks({ def: ex.def, engine, key, files });
        const failing = r.checks.filter((c) => c.required !== false && c.status === 'fail');
        expect(r.passed, `the starter of ${chapter} passed every check:\n${describeReport(r)}`).toBe(false);
        expect(failing.length, `the starter of ${chapter} fails no check (only errors or skips):\n${describeReport(r)}`).toBeGreaterThan(0);
        expect(JSON.stringify(r)).not.toContain(key);
      });

      it('the solution passes every check', async () => {
        const key = generatePlantedKey();
        const files = plantKey(ex.solution, key);
        const r = await runLocalChecks({ def: ex.def, engine, key, files });
        expect(r.passed, `the solution of ${chapter} does not pass:\n${describeReport(r)}`).toBe(true);
        expect(r.checks.every((c) => c.status === 'pass'), describeReport(r)).toBe(true);
      });
    });
  }
}
