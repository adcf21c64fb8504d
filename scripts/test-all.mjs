#!/usr/bin/env node
// `npm test`: every test, cheapest first — unit, then exercises (real builds per chapter), then
// end-to-end in Chromium. Stops at the first failing step and prints a summary with durations.
// Run some steps only: `npm test -- unit e2e`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node22 = ['scripts/node22.mjs'];

const steps = [
  { name: 'chromium', what: 'Debian chromium present', cmd: ['scripts/ensure-chromium.mjs'], for: ['e2e'] },
  { name: 'unit', what: 'unit tests (vitest)', cmd: [...node22, 'vitest', 'run', '--project', 'unit'] },
  { name: 'exercises', what: 'chapter exercises: starter fails, solution passes (vitest)', cmd: [...node22, 'vitest', 'run', '--project', 'exercises', '--passWithNoTests'] },
  { name: 'e2e', what: 'end-to-end in Chromium (playwright)', cmd: [...node22, 'playwright', 'test'] },
];

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
  const r = spawnSync(process.execPath, step.cmd, { cwd: root, stdio: 'inherit' });
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
if (failed) {
  console.error(`\n${failed.step.name} failed. Re-run only that step with: npm test -- ${failed.step.for ? failed.step.for[0] : failed.step.name}`);
  process.exit(failed.code);
}
console.log('\nAll tests passed.');
