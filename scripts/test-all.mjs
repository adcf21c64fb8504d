#!/usr/bin/env node
// `npm test`: every test, cheapest first — unit, then exercises (real builds per chapter), then
// end-to-end in Chromium. Stops at the first failing step and prints a summary with durations.
// Run some steps only: `npm test -- unit e2e`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node22 = ['scripts/node22.mjs'];
// Each runner also writes a JSON report here, so the summary can count tests across runners.
const reports = join(root, '.cache', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const vitestJson = (name) => ['--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, `${name}.json`)}`];

const steps = [
  { name: 'chromium', what: 'Debian chromium present', cmd: ['scripts/ensure-chromium.mjs'], for: ['e2e'] },
  // `astro sync` first: a fresh clone has no .astro/types.d.ts (astro:content, import.meta.glob types).
  { name: 'types', what: 'TypeScript (astro sync, tsc --noEmit)', cmd: [...node22, 'sh', '-c', 'astro sync >/dev/null && tsc --noEmit -p .'] },
  { name: 'unit', what: 'unit tests (vitest)', cmd: [...node22, 'vitest', 'run', '--project', 'unit', ...vitestJson('unit')] },
  { name: 'exercises', what: 'chapter exercises: starter fails, solution passes (vitest)', cmd: [...node22, 'vitest', 'run', '--project', 'exercises', ...vitestJson('exercises')] },
  { name: 'e2e', what: 'end-to-end in Chromium (playwright)', cmd: [...node22, 'playwright', 'test', '--reporter=list,json'], env: { PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, 'e2e.json') } },
];

/** Passed / failed / skipped test counts from the runners' JSON reports. */
function countTests() {
  const c = { passed: 0, failed: 0, skipped: 0 };
  for (const name of ['unit', 'exercises']) {
    const f = join(reports, `${name}.json`);
    if (!existsSync(f)) continue;
    const r = JSON.parse(readFileSync(f, 'utf8'));
    c.passed += r.numPassedTests ?? 0;
    c.failed += r.numFailedTests ?? 0;
    c.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  const e2e = join(reports, 'e2e.json');
  if (existsSync(e2e)) {
    const s = JSON.parse(readFileSync(e2e, 'utf8')).stats ?? {};
    c.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    c.failed += s.unexpected ?? 0;
    c.skipped += s.skipped ?? 0;
  }
  return c;
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !steps.some((s) => s.name === w));
if (unknown.length) {
  console.error(`Unknown step(s): ${unknown.join(', ')}. Steps: ${steps.filter((s) => !s.for).map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const selected = steps.filter((s) => wanted.length === 0 || wanted.includes(s.name) || s.for?.some((f) => wanted.includes(f)));

const results = [];
let failed = null;
for (const step of selected) {
  console.log(`\n━━ ${step.name}: ${step.what}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, step.cmd, { cwd: root, stdio: 'inherit', env: { ...process.env, ...step.env } });
  const seconds = (Date.now() - started) / 1000;
  const ok = r.status === 0;
  results.push({ name: step.name, ok, seconds });
  if (!ok) {
    failed = { step, code: r.status ?? 1 };
    break;
  }
}

console.log('\n━━ summary');
for (const r of results) console.log(`  ${r.ok ? 'pass' : 'FAIL'}  ${r.name.padEnd(10)} ${r.seconds.toFixed(1).padStart(7)} s`);
for (const s of selected.slice(results.length)) console.log(`  skip  ${s.name.padEnd(10)}       - (an earlier step failed)`);
const total = results.reduce((t, r) => t + r.seconds, 0);
console.log(`  total ${total.toFixed(1)} s`);
const counts = countTests();
// The last line: one plain count that any CI can read, over every test of every runner.
const closing = `tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
if (failed) {
  console.error(`\n${failed.step.name} failed. Re-run only that step with: npm test -- ${failed.step.for ? failed.step.for[0] : failed.step.name}`);
  console.log(`\n${closing}`);
  process.exit(failed.code);
}
console.log('\nAll tests passed.');
console.log(`\n${closing}`);
