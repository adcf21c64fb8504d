// The in-browser bundler against a real `vite build` (Vite 8, installed with Astro) of the same
// tiny projects: the key must land in the same kinds of output files, a non-VITE_ value in none,
// and source maps must be shaped the same way.
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundle, newKey, viteStarter } from './helpers.ts';

const key = newKey();
const secret = newKey();
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function realViteBuild(files: Record<string, string>, mode = 'production'): Promise<Record<string, Uint8Array>> {
  const root = await mkdtemp(join(tmpdir(), 'leakproof-vite-'));
  dirs.push(root);
  for (const [p, c] of Object.entries(files)) {
    await mkdir(dirname(join(root, p)), { recursive: true });
    await writeFile(join(root, p), c);
  }
  // The config may import from 'vite': let it resolve the repo's copy.
  await symlink(join(process.cwd(), 'node_modules'), join(root, 'node_modules'), 'dir');
  const { build } = await import('vite');
  await build({ root, mode, logLevel: 'silent', build: { emptyOutDir: true } });
  const out: Record<string, Uint8Array> = {};
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else out[relative(root, full)] = new Uint8Array(await readFile(full));
    }
  };
  await walk(join(root, 'dist'));
  return out;
}

/** What kind of output a path is, so hashed names from two bundlers compare. */
function kind(path: string, text: string): string {
  if (path === 'dist/index.html') return 'html';
  if (path.endsWith('.map')) return 'map';
  if (path.endsWith('.js')) return text.includes('sourceMappingURL=data:') ? 'js+inline-map' : text.includes('sourceMappingURL=') ? 'js+map-comment' : 'js';
  if (path.startsWith('dist/assets/')) return 'asset';
  return `public:${path.slice('dist/'.length)}`;
}

function profile(files: Record<string, Uint8Array>) {
  const dec = new TextDecoder();
  const kinds = new Set<string>();
  const withKey = new Set<string>();
  const withSecret = new Set<string>();
  for (const [p, d] of Object.entries(files)) {
    const t = dec.decode(d);
    const k = kind(p, t);
    kinds.add(k);
    if (t.includes(key)) withKey.add(k);
    // The value never; the name only inside a map's sourcesContent (it is the source text).
    if (t.includes(secret) || (k !== 'map' && !k.includes('inline') && t.includes('OPENAI_ADMIN_SECRET'))) withSecret.add(k);
  }
  return { kinds: [...kinds].sort(), withKey: [...withKey].sort(), withSecret: [...withSecret].sort() };
}

const cases: Array<[string, Record<string, string>]> = [
  ['starter: VITE_ key, no config', viteStarter(key, secret)],
  ['fixed: key without VITE_', viteStarter(key, secret, { '.env': `OPENAI_API_KEY=${key}\nOPENAI_ADMIN_SECRET=${secret}\n` })],
  ['sourcemap: true', viteStarter(key, secret, { 'vite.config.js': 'export default { build: { sourcemap: true } }' })],
  ['sourcemap: hidden', viteStarter(key, secret, { 'vite.config.js': "export default { build: { sourcemap: 'hidden' } }" })],
  ['sourcemap: inline', viteStarter(key, secret, { 'vite.config.js': "export default { build: { sourcemap: 'inline' } }" })],
  ['public/ with dotfiles and %ENV% in html', viteStarter(key, secret, {
    'public/.well-known/keys.txt': key,
    'public/robots.txt': 'ok',
    'index.html': '<!doctype html><html><head><title>%VITE_OPENAI_API_KEY%</title></head><body><script type="module" src="/src/main.js"></script></body></html>',
  })],
  // (The config reads its own folder rather than process.cwd(): the test runs from the repo root.)
  ['define from loadEnv in the config', viteStarter(key, secret, {
    '.env': `OPENAI_API_KEY=${key}\n`,
    'vite.config.js': "import { defineConfig, loadEnv } from 'vite';\nexport default defineConfig(({ mode }) => {\n  const env = loadEnv(mode, new URL('.', import.meta.url).pathname, '');\n  return { define: { 'process.env.OPENAI_API_KEY': JSON.stringify(env.OPENAI_API_KEY) } };\n});\n",
    'src/main.js': 'console.log(process.env.OPENAI_API_KEY)',
  })],
];

describe('in-browser bundle vs real vite build', () => {
  it.each(cases)('%s', async (_name, files) => {
    const [vite, ours] = await Promise.all([realViteBuild(files), bundle(files)]);
    expect(ours.errors).toEqual([]);
    const a = profile(vite);
    const b = profile(ours.files);
    expect(b.withKey).toEqual(a.withKey);
    // Not vacuous: only the fixed project keeps the key out of the output.
    expect(a.withKey.length > 0).toBe(!_name.startsWith('fixed'));
    expect(b.withSecret).toEqual([]);
    expect(a.withSecret).toEqual([]);
    // Same kinds of files (html, js with/without map comment, maps, public copies).
    expect(b.kinds.filter((k) => k !== 'asset')).toEqual(a.kinds.filter((k) => k !== 'asset'));
  }, 60_000);
});
