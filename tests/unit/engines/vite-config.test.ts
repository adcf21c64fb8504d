import { describe, expect, it } from 'vitest';
import { buildModeFromPackageJson, readViteConfig, stripComments } from '../../../src/engines/in-browser/vite-config.ts';

describe('readViteConfig', () => {
  it('gives Vite defaults without a config', () => {
    const s = readViteConfig(undefined);
    expect(s).toMatchObject({ sourcemap: false, envPrefix: ['VITE_'], outDir: 'dist', publicDir: 'public', base: '/', define: {} });
  });

  it.each([
    ["build: { sourcemap: true }", true],
    ["build: { sourcemap: false }", false],
    ["build: { sourcemap: 'hidden' }", 'hidden'],
    ['build: { sourcemap: "inline" }', 'inline'],
    ['build: {\n  outDir: "out",\n  sourcemap: `hidden`,\n}', 'hidden'],
  ])('reads %s', (body, want) => {
    expect(readViteConfig(`import { defineConfig } from 'vite';\nexport default defineConfig({ ${body} });`).sourcemap).toBe(want);
  });

  it('ignores a commented-out sourcemap but keeps URLs with // in strings', () => {
    const code = "export default {\n  // build: { sourcemap: true },\n  base: 'https://cdn.example.com/app/',\n  /* sourcemap: 'inline' */\n}";
    const s = readViteConfig(code);
    expect(s.sourcemap).toBe(false);
    expect(s.base).toBe('https://cdn.example.com/app/');
    expect(stripComments("a('//x') // y")).toBe("a('//x') ");
  });

  it('assumes maps for a sourcemap setting it cannot read, and says so', () => {
    const s = readViteConfig('export default { build: { sourcemap: process.env.MAPS } }', 'vite.config.js');
    expect(s.sourcemap).toBe(true);
    expect(s.warnings.join()).toMatch(/could not read build.sourcemap/);
  });

  it('reads outDir, publicDir, envPrefix (string or list)', () => {
    expect(readViteConfig("export default { build: { outDir: './build/' }, publicDir: 'static', envPrefix: 'APP_' }")).toMatchObject({
      outDir: 'build',
      publicDir: 'static',
      envPrefix: ['APP_'],
    });
    expect(readViteConfig("export default { envPrefix: ['APP_', 'VITE_'], publicDir: false }")).toMatchObject({ envPrefix: ['APP_', 'VITE_'], publicDir: false });
  });

  it('reads define values the way Vite treats them', () => {
    const code = `export default defineConfig({
      define: {
        __VERSION__: JSON.stringify('1.2.3'),
        __RAW__: '"raw"',
        __IDENT__: 'window.thing',
        'process.env.FLAG': true,
        __N__: 42,
        __CODE__: computeIt(),
      },
    })`;
    const s = readViteConfig(code, 'vite.config.ts');
    expect(s.define).toEqual({ __VERSION__: '"1.2.3"', __RAW__: '"raw"', __IDENT__: 'window.thing', 'process.env.FLAG': 'true', __N__: '42' });
    expect(s.warnings.join()).toMatch(/could not read define "__CODE__"/);
  });

  it('resolves JSON.stringify(env.X) when env comes from loadEnv (the define leak)', () => {
    const code = `import { defineConfig, loadEnv } from 'vite';
      export default defineConfig(({ mode }) => {
        const env = loadEnv(mode, process.cwd(), '');
        return { define: { 'process.env.OPENAI_API_KEY': JSON.stringify(env.OPENAI_API_KEY) } };
      });`;
    const seen: string[][] = [];
    const s = readViteConfig(code, 'vite.config.js', {
      envForConfig: (p) => {
        seen.push(p);
        return { OPENAI_API_KEY: 'sk-proj-x' };
      },
    });
    expect(seen).toEqual([['']]);
    expect(s.define['process.env.OPENAI_API_KEY']).toBe('"sk-proj-x"');
  });
});

describe('buildModeFromPackageJson', () => {
  it.each([
    [undefined, 'production'],
    ['{"scripts":{"build":"vite build"}}', 'production'],
    ['{"scripts":{"build":"vite build --mode staging"}}', 'staging'],
    ['{"scripts":{"build":"tsc && vite build --mode=demo"}}', 'demo'],
    ['not json', 'production'],
  ])('%s → %s', (pkg, mode) => {
    expect(buildModeFromPackageJson(pkg)).toBe(mode);
  });
});
