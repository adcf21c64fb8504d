// `npm run bench`: every benchmark in turn (leak detector, checks, platform, page speed). Each prints
// its own figures as ratios against a baseline measured in the same run; this only sequences them
// (one at a time: they would disturb each other's timings) and lists which ones completed.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benches = ['bench-leak', 'bench-check', 'bench-platform', 'bench-page'];
const results = [];
for (const name of benches) {
  console.log(`\n=== ${name} ===`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'scripts', `${name}.mjs`)], { cwd: root, stdio: 'inherit' });
  results.push({ name, ok: r.status === 0, seconds: (Date.now() - t0) / 1000 });
}
console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'done  ' : 'FAILED'} ${r.name.padEnd(16)} ${r.seconds.toFixed(1)} s`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
