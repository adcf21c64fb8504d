// How long a Check takes on the local engine, printed beside baselines measured in the same run:
//   spawn      the bare cost of starting `node -e 0` (what any check with a process pays)
//   read       reading the chapter's starter files from disk into memory
// Static: the checks that need no process (no-key-in source/git, file, git-ignored) on files already
// in the workspace (p50 ms; target ≤ 100 ms). Full: every check of the chapter, builds and servers
// included, after the dependencies are cached (p50 s; target ≤ 5 s, or the chapter's
// targetCheckSeconds: 15 s where the check sends traffic through a server, e.g. chapter 7's rotation). Asserts nothing (TEAM.md: no
// timing tests). Usage: npm run bench:check [-- --chapter 3] [-- --runs 5] [-- --lessons dir]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const RUNS = Number(opt('--runs', 5));
const STATIC_RUNS = Number(opt('--static-runs', 30));
if (args.includes('--lessons')) process.env.LEAKPROOF_LESSONS_DIR = opt('--lessons');
const imp = (p) => import(pathToFileURL(join(root, p)).href);

const { exerciseChapters, loadExercise, lessonsDir } = await imp('src/node/load-exercise.ts');
const { readTextTree } = await imp('src/node/read-tree.ts');
const { NodeEngine } = await imp('src/engines/local/node-engine.ts');
const { runLocalChecks } = await imp('src/engines/local/run-local.ts');
const { runChecks } = await imp('src/lib/exercise/run-checks.ts');
const { nodeDecompressors } = await imp('src/engines/local/decompress.ts');
const { generatePlantedKey } = await imp('src/lib/exercise/planted-key.ts');
const { plantKey } = await imp('src/lib/exercise/plant.ts');

const p50 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const isStatic = (c) => c.kind === 'file' || c.kind === 'git-ignored' || (c.kind === 'no-key-in' && (c.target === 'source' || c.target === 'git')) || (c.kind === 'custom' && !c.needsRuntime);

const dir = lessonsDir();
const wanted = opt('--chapter');
let chapters = exerciseChapters(dir);
if (chapters.length === 0) {
  process.env.LEAKPROOF_LESSONS_DIR = join(root, 'tests/fixtures/exercises');
  chapters = exerciseChapters(lessonsDir());
}
if (wanted) chapters = [chapters.find((c) => c === wanted || parseInt(c, 10) === Number(wanted)) ?? wanted];
console.log(`bench:check — ${chapters.length} chapter(s) from ${lessonsDir()}, ${STATIC_RUNS} static runs, ${RUNS} full runs, node ${process.version}\n`);

const spawnMs = [];
for (let i = 0; i < 10; i++) spawnMs.push(await time(() => spawnSync(process.execPath, ['-e', '0'])));
const baseSpawn = p50(spawnMs);

const rows = [];
for (const chapter of chapters) {
  const ex = await loadExercise(chapter);
  const readMs = [];
  for (let i = 0; i < 10; i++) readMs.push(await time(() => readTextTree(join(ex.dir, 'files'))));
  const baseRead = p50(readMs);
  const engine = await NodeEngine.create();
  try {
    const key = generatePlantedKey();
    const files = plantKey(ex.solution, key);
    // Warm-up: installs dependencies into the cache once (not measured), like a learner's first Check.
    const warm = await runLocalChecks({ def: ex.def, engine, key, files });
    const staticDef = { ...ex.def, setup: [], checks: ex.def.checks.filter(isStatic) };
    const staticMs = [];
    for (let i = 0; i < STATIC_RUNS; i++) {
      staticMs.push(await time(() => runChecks(staticDef, { engine, key, files, mount: false, decompress: nodeDecompressors })));
    }
    const fullMs = [];
    for (let i = 0; i < RUNS; i++) fullMs.push(await time(() => runLocalChecks({ def: ex.def, engine, key, files })));
    rows.push({ chapter, target: ex.def.targetCheckSeconds ?? 5, checks: ex.def.checks.length, staticChecks: staticDef.checks.length, warmPassed: warm.passed, baseRead, staticP50: p50(staticMs), fullP50: p50(fullMs) });
  } finally {
    await engine.dispose();
  }
}

const f = (n, d = 1) => n.toFixed(d);
console.log(`baseline spawn \`node -e 0\`: p50 ${f(baseSpawn)} ms\n`);
console.log('chapter                  checks  read(ms)  static p50 (ms)  ×read   full p50 (s)  ×spawn  solution passed');
for (const r of rows) {
  console.log(
    `${r.chapter.padEnd(24)} ${String(`${r.staticChecks}/${r.checks}`).padStart(6)}  ${f(r.baseRead).padStart(8)}  ${f(r.staticP50).padStart(15)}  ${f(r.staticP50 / r.baseRead).padStart(5)}  ${f(r.fullP50 / 1000, 2).padStart(12)}  ${f(r.fullP50 / baseSpawn, 0).padStart(6)}  ${r.warmPassed}`,
  );
}
const worstStatic = Math.max(...rows.map((r) => r.staticP50));
const worstFull = Math.max(...rows.map((r) => r.fullP50)) / 1000;
console.log(`\nworst static p50 ${f(worstStatic)} ms (target ≤ 100 ms: ${worstStatic <= 100 ? 'met' : 'NOT met'}); worst full p50 ${f(worstFull, 2)} s`);
// Full-check targets per chapter: 5 s, or the chapter's own (15 s where the check sends traffic through a server).
for (const r of rows) {
  const s = r.fullP50 / 1000;
  console.log(`  ${r.chapter}: full check p50 ${f(s, 2)} s (target ≤ ${r.target} s: ${s <= r.target ? 'met' : 'NOT met'})`);
}
