// Prebuilds `leakproof audit` and `leakproof scan` into plain JavaScript (runs at `npm install`,
// through the "prepare" script). Why: running the TypeScript sources directly makes Node strip the
// types of the whole module graph at every start (~0.3 s CPU), which dominated an audit of a 50 MB
// bundle; the prebuilt file starts in a third of that and also runs on Node 20 without fetching
// Node 22. bin/leakproof.mjs uses it only while it is newer than every source file, so an edited
// source is never shadowed by a stale build.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUILD_DIR = join(root, 'node_modules', '.cache', 'leakproof-cli');

try {
  rmSync(CLI_BUILD_DIR, { recursive: true, force: true });
  mkdirSync(CLI_BUILD_DIR, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: { audit: 'src/cli/commands/audit.ts', scan: 'src/cli/commands/scan.ts' },
    outdir: CLI_BUILD_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  // Written last: its presence means the build completed.
  writeFileSync(join(CLI_BUILD_DIR, 'built-at.txt'), new Date().toISOString());
  console.log('[leakproof] prebuilt the audit and scan commands');
} catch (err) {
  // Never fail an install over this: bin/leakproof.mjs falls back to the TypeScript sources.
  console.warn(`[leakproof] could not prebuild the CLI (${err.message}); it will run from the TypeScript sources.`);
}
