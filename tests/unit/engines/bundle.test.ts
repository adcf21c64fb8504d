// The worker's bundling logic, run in Node with the same esbuild-wasm package the worker loads.
import { describe, expect, it } from 'vitest';
import { bundle, dec, filesWith, newKey, texts, viteStarter } from './helpers.ts';

const key = newKey();
const secret = newKey();

describe('bundleViteProject: env values', () => {
  it('inlines a VITE_ value into the client bundle (the chapter-3 mistake)', async () => {
    const r = await bundle(viteStarter(key, secret));
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    const js = filesWith(r.files, key);
    expect(js.length).toBe(1);
    expect(js[0]).toMatch(/^dist\/assets\/index-[A-Z0-9]+\.js$/);
    // Folded into the header literal by the minifier, as Vite's build does too.
    expect(dec.decode(r.files[js[0]!]!)).toContain(`"Bearer ${key}"`);
  });

  it('never inlines a value without the prefix, nor its name', async () => {
    const r = await bundle(viteStarter(key, secret));
    expect(filesWith(r.files, secret)).toEqual([]);
    expect(filesWith(r.files, 'OPENAI_ADMIN_SECRET')).toEqual([]);
  });

  it('inlines nothing when the key moved out of VITE_ (the fix)', async () => {
    const fixed = viteStarter(key, secret, { '.env': `OPENAI_API_KEY=${key}\n` });
    const r = await bundle(fixed);
    expect(r.ok).toBe(true);
    expect(filesWith(r.files, key)).toEqual([]);
  });

  it('puts MODE/PROD/DEV in and uses the mode of the build script', async () => {
    const r = await bundle(
      viteStarter(key, secret, {
        'package.json': JSON.stringify({ scripts: { build: 'vite build --mode staging' } }),
        '.env.staging': 'VITE_STAGE_ONLY=stage-value\n',
        'src/main.js': 'console.log(import.meta.env.MODE, import.meta.env.PROD, import.meta.env.DEV, import.meta.env.VITE_STAGE_ONLY)',
      }),
    );
    const js = Object.entries(texts(r.files)).find(([p]) => p.endsWith('.js'))![1];
    expect(js).toContain('"staging",!0,!1,"stage-value"');
    expect(r.mode).toBe('staging');
  });

  it('.env.local and .env.production override .env', async () => {
    const r = await bundle({
      'index.html': '<script type="module" src="/m.js"></script>',
      'm.js': 'console.log(import.meta.env.VITE_A, import.meta.env.VITE_B)',
      '.env': 'VITE_A=one\nVITE_B=one\n',
      '.env.local': 'VITE_A=two\n',
      '.env.production': 'VITE_B=three\n',
    });
    expect(Object.values(texts(r.files)).join()).toContain('"two","three"');
  });

  it('replaces %VITE_X% in index.html', async () => {
    const r = await bundle(viteStarter(key, secret, { 'index.html': '<title>%VITE_OPENAI_API_KEY%</title><script type="module" src="/src/main.js"></script>' }));
    expect(filesWith(r.files, key)).toContain('dist/index.html');
  });
});

describe('bundleViteProject: config, public/, source maps', () => {
  it('copies public/ as is, dotfiles included', async () => {
    const r = await bundle(viteStarter(key, secret, { 'public/.well-known/config.json': `{"k":"${key}"}`, 'public/robots.txt': 'ok' }));
    expect(texts(r.files)['dist/.well-known/config.json']).toBe(`{"k":"${key}"}`);
    expect(texts(r.files)['dist/robots.txt']).toBe('ok');
  });

  it('applies simple define values from vite.config', async () => {
    const r = await bundle(
      viteStarter(key, secret, {
        'vite.config.js': "export default { define: { __KEY__: JSON.stringify('literal-define') } }",
        'src/main.js': 'console.log(__KEY__)',
      }),
    );
    expect(Object.values(texts(r.files)).join()).toContain('"literal-define"');
  });

  it('inlines a non-VITE_ key when the config defines it from loadEnv (as Vite would)', async () => {
    const r = await bundle(
      viteStarter(key, secret, {
        '.env': `OPENAI_API_KEY=${key}\n`,
        'vite.config.js':
          "import { defineConfig, loadEnv } from 'vite';\nexport default defineConfig(({ mode }) => {\n  const env = loadEnv(mode, process.cwd(), '');\n  return { define: { 'process.env.OPENAI_API_KEY': JSON.stringify(env.OPENAI_API_KEY) } };\n});\n",
        'src/main.js': 'console.log(process.env.OPENAI_API_KEY)',
      }),
    );
    expect(filesWith(r.files, key).some((p) => p.endsWith('.js'))).toBe(true);
  });

  it.each([
    [undefined, { maps: false, comment: false, inline: false }],
    ['true', { maps: true, comment: true, inline: false }],
    ["'hidden'", { maps: true, comment: false, inline: false }],
    ["'inline'", { maps: false, comment: true, inline: true }],
  ])('build.sourcemap %s', async (setting, want) => {
    const extra: Record<string, string> = setting ? { 'vite.config.js': `export default { build: { sourcemap: ${setting} } }` } : {};
    const r = await bundle(viteStarter(key, secret, extra));
    const paths = Object.keys(r.files);
    expect(paths.some((p) => p.endsWith('.js.map'))).toBe(want.maps);
    const entry = texts(r.files)[paths.find((p) => /index-.*\.js$/.test(p))!]!;
    expect(entry.includes('//# sourceMappingURL=')).toBe(want.comment);
    expect(entry.includes('sourceMappingURL=data:application/json')).toBe(want.inline);
    if (want.maps) {
      const map = JSON.parse(texts(r.files)[paths.find((p) => p.endsWith('.js.map'))!]!) as { sources: string[]; sourcesContent: string[] };
      // Like Vite: the original source (here the env reference, not the value) in sourcesContent.
      expect(map.sources.some((s) => s.endsWith('src/api.js'))).toBe(true);
      expect(map.sourcesContent.join()).toContain('import.meta.env.VITE_OPENAI_API_KEY');
    }
  });

  it('writes to build.outDir', async () => {
    const r = await bundle(viteStarter(key, secret, { 'vite.config.ts': "export default { build: { outDir: 'build' } }" }));
    expect(r.outDir).toBe('build');
    expect(Object.keys(r.files).every((p) => p.startsWith('build/'))).toBe(true);
  });

  it('bundles CSS, inline module scripts and TypeScript, and leaves packages external', async () => {
    const r = await bundle({
      'index.html': '<link rel="stylesheet" href="/src/app.css"><script type="module">import "/src/a.ts"; console.log(import.meta.env.VITE_I)</script>',
      '.env': 'VITE_I=inline-value',
      'src/app.css': 'body { color: rebeccapurple }',
      'src/a.ts': "import OpenAI from 'openai';\nconst n: number = 1;\nconsole.log(n, OpenAI);",
    });
    expect(r.ok).toBe(true);
    const t = texts(r.files);
    expect(Object.keys(t).some((p) => p.endsWith('.css'))).toBe(true);
    expect(t['dist/index.html']).toMatch(/<script type="module" crossorigin src="\/assets\/index-[A-Z0-9]+\.js"><\/script>/);
    expect(t['dist/index.html']).toMatch(/<link rel="stylesheet" crossorigin href="\/assets\/index-[A-Z0-9]+\.css">/);
    expect(Object.values(t).join()).toContain('"inline-value"');
    expect(r.externals).toEqual(['openai']);
    expect(r.log).toMatch(/not bundled .*openai/);
  });

  it('fails with a clear message for a missing import or a missing index.html', async () => {
    const missing = await bundle({ 'index.html': '<script type="module" src="/src/nope.js"></script>' });
    expect(missing.ok).toBe(false);
    expect(missing.errors.join()).toMatch(/Could not find "\/src\/nope.js"/);
    const noHtml = await bundle({ 'src/main.js': '' });
    expect(noHtml.ok).toBe(false);
    expect(noHtml.errors.join()).toMatch(/No index.html/);
  });
});
