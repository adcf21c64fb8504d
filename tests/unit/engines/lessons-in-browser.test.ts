// The real chapters on the in-browser engine: for every chapter whose checks include a bundle check,
// the starter, the solution and every hidden-key variant get the verdict the local engine gives
// (tests/exercises/lessons-variants.test.ts) for each check the browser can run; checks that need
// a runtime are skipped, never passed, so no chapter with one can pass here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InBrowserEngine } from '../../../src/engines/in-browser/engine.ts';
import { browserDecompressors } from '../../../src/engines/in-browser/decompress.ts';
import { missingCapability } from '../../../src/lib/exercise/checks/index.ts';
import { generatePlantedKey } from '../../../src/lib/exercise/planted-key.ts';
import { plantKey } from '../../../src/lib/exercise/plant.ts';
import { runChecks } from '../../../src/lib/exercise/run-checks.ts';
import type { FileMap } from '../../../src/lib/fs/types.ts';
import { exerciseChapters, lessonsDir, loadExercise } from '../../../src/node/load-exercise.ts';
import { readTextTree } from '../../../src/node/read-tree.ts';
import { hiddenKeyForms } from '../lessons-helpers.ts';
import { nodeBundler } from './helpers.ts';

interface Variant {
  description: string;
  base?: 'solution' | 'starter';
  fails: string[];
}

function plant(files: FileMap, key: string): FileMap {
  const out: FileMap = {};
  for (const [path, text] of Object.entries(files)) {
    let t = text;
    for (const [name, value] of Object.entries(hiddenKeyForms(key))) t = t.split(`{{${name}}}`).join(value);
    out[path] = t;
  }
  return plantKey(out, key);
}

const engine = new InBrowserEngine({ bundler: nodeBundler });
const caps = engine.capabilities;

for (const chapter of exerciseChapters()) {
  const checksFile = join(lessonsDir(), chapter, 'exercise', 'checks.ts');
  if (!readFileSync(checksFile, 'utf8').includes("target: 'bundle'")) continue;

  describe(`${chapter} on the in-browser engine`, () => {
    const run = async (files: FileMap) => {
      const ex = await loadExercise(chapter);
      const key = generatePlantedKey();
      const report = await runChecks(ex.def, { engine, key, files: plant(files, key), decompress: browserDecompressors });
      expect(JSON.stringify(report)).not.toContain(key);
      const runnable = new Set(ex.def.checks.filter((c) => missingCapability(c, caps) === null).map((c) => c.id));
      return { ex, report, byId: new Map(report.checks.map((c) => [c.id, c])), runnable };
    };
    const table = (r: Awaited<ReturnType<typeof run>>) => r.report.checks.map((c) => `  [${c.status}] ${c.id}: ${c.message.split('\n')[0]}`).join('\n');

    it('the starter fails its bundle check', async () => {
      const ex = await loadExercise(chapter);
      const r = await run(ex.starter);
      const bundle = ex.def.checks.filter((c) => c.kind === 'no-key-in' && c.target === 'bundle');
      for (const c of bundle) expect(r.byId.get(c.id)?.status, table(r)).toBe('fail');
      expect(r.report.passed).toBe(false);
    }, 90_000);

    it('the solution passes every check the browser can run; the others are skipped, so it is not passed', async () => {
      const ex = await loadExercise(chapter);
      const r = await run(ex.solution);
      for (const c of r.report.checks) expect(c.status, table(r)).toBe(r.runnable.has(c.id) ? 'pass' : 'skipped');
      if (r.runnable.size < ex.def.checks.length) expect(r.report.passed).toBe(false);
    }, 90_000);

    const root = join(lessonsDir(), chapter, 'exercise', 'variants');
    const variants = existsSync(root) ? readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()) : [];
    for (const v of variants) {
      const meta = JSON.parse(readFileSync(join(root, v.name, 'variant.json'), 'utf8')) as Variant;
      it(`variant ${v.name}: fails what it names, where the browser can judge it`, async () => {
        const ex = await loadExercise(chapter);
        const overlay = await readTextTree(join(root, v.name));
        delete overlay['variant.json'];
        const r = await run({ ...(meta.base === 'starter' ? ex.starter : ex.solution), ...overlay });
        for (const id of meta.fails) expect(r.byId.get(id)?.status, `${id}\n${table(r)}`).toBe(r.runnable.has(id) ? 'fail' : 'skipped');
        expect(r.report.passed).toBe(false);
      }, 90_000);
    }
  });
}
