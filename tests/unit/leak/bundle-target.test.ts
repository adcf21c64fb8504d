// The `bundle` target: everything in a build output folder. A real `vite build` of a tiny app that
// reads VITE_OPENAI_API_KEY (source maps on, a dotfile in public/, precompressed copies), then the
// same app fixed (calls its own /api/chat) must come out clean; plus hand-made bundle layouts.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { auditKey } from '../../../src/lib/leak/index.ts';
import { nodeDecompressors, nodeReadonlyFs } from '../../../src/node/fs-node.ts';
import { b64, each, h2, plantedKey } from './forms-helpers.ts';

const K = plantedKey();

function write(root: string, files: Record<string, string | Uint8Array>): string {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}
const temp = (tag: string) => mkdtempSync(join(tmpdir(), `lp-bundle-${tag}-`));
const audit = (root: string, dir = 'dist') => auditKey({ key: K, target: 'bundle', fs: nodeReadonlyFs(root), dir, decompress: nodeDecompressors });

/** Adds .gz and .br copies of every .js/.css/.html file, as compression plugins do. */
function precompress(dist: string) {
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|css|html)$/.test(e.name)) {
        writeFileSync(p + '.gz', gzipSync(readFileSync(p)));
        writeFileSync(p + '.br', brotliCompressSync(readFileSync(p)));
      }
    }
  };
  walk(dist);
}

async function viteBuild(root: string, sourcemap: boolean | 'hidden' | 'inline') {
  const { build } = await import('vite');
  await build({ root, logLevel: 'silent', configFile: false, build: { outDir: join(root, 'dist'), sourcemap, emptyOutDir: true } });
}

describe('bundle target: a real vite build', () => {
  it('finds the VITE_ key in the JS, the source map, a public/ dotfile and the .gz/.br copies', async () => {
    const root = write(temp('vite'), {
      'index.html': '<!doctype html><div id="app"></div><script type="module" src="/src/main.js"></script>',
      '.env': `VITE_OPENAI_API_KEY=${K}\n`,
      'src/main.js': [
        'const key = import.meta.env.VITE_OPENAI_API_KEY;',
        `if (import.meta.env.DEV) console.log("debug key", "${K.slice(0, 40)}" + "${K.slice(40)}");`,
        "fetch('https://api.openai.com/v1/responses', { headers: { Authorization: `Bearer ${key}` } });",
      ].join('\n'),
      'public/.env.production': `OPENAI_API_KEY=${K}\n`,
    });
    await viteBuild(root, true);
    precompress(join(root, 'dist'));
    const r = await audit(root);
    expect(r.leak).toBe(true);
    const where = r.findings.map((f) => `${f.file.replace(/-[\w-]{8}\./, '-H.')} ${f.form}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'dist/assets/index-H.js plain',
        'dist/assets/index-H.js.gz gzip>plain',
        'dist/assets/index-H.js.br brotli>plain',
        'dist/.env.production plain',
      ]),
    );
    // The map holds the original source, the dead DEV branch (the key split in two) included.
    const map = r.findings.filter((f) => f.file.endsWith('.js.map'));
    expect(map.map((f) => f.form)).toEqual(['fragments']);
    expect(map[0].message).toMatch(/sourcemap of (\.\.\/)*src\/main\.js, line 2/);
    for (const f of r.findings) expect(JSON.stringify(f)).not.toContain(K.slice(8));
  }, 60_000);

  it('a fixed app (calls its own /api/chat; the key stays in a server-only variable) is clean', async () => {
    const root = write(temp('vite-fixed'), {
      'index.html': '<!doctype html><div id="app"></div><script type="module" src="/src/main.js"></script>',
      '.env': `OPENAI_API_KEY=${K}\n`,
      'src/main.js': "fetch('/api/chat', { method: 'POST', body: JSON.stringify({ q: 'hi' }) }).then((r) => r.json());",
      'public/robots.txt': 'User-agent: *\n',
    });
    await viteBuild(root, 'hidden');
    precompress(join(root, 'dist'));
    const r = await audit(root);
    expect(r.findings).toEqual([]);
  }, 60_000);
});

describe('bundle target: layouts a build can produce', () => {
  const cases: Array<[string, Record<string, string | Uint8Array>, string | null]> = [
    ['hidden source map (no sourceMappingURL)', { 'dist/a.js': 'x()', 'dist/a.js.map': JSON.stringify({ version: 3, sources: ['src/k.ts'], sourcesContent: [`// TODO remove\nexport const k = '${K}'`], mappings: '' }) }, 'sourcemap>plain'],
    ['inline source map', { 'dist/a.js': `x()\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${b64(JSON.stringify({ version: 3, sources: ['src/k.ts'], sourcesContent: [`k='${K}'`], mappings: '' }))}` }, 'inline-sourcemap>sourcemap>plain'],
    ['base64 literal kept by the minifier', { 'dist/assets/i.js': `const k=atob("${b64(K)}");` }, 'base64'],
    ['key split across two chunks', { 'dist/assets/a.js': `export const a="${K.slice(0, 100)}";`, 'dist/assets/b.js': `export const b="${K.slice(100)}";` }, 'fragments'],
    ['CSS with a data: URL', { 'dist/assets/s.css': `.x{background:url(data:text/plain;base64,${b64('k=' + K)})}` }, 'data-url>plain'],
    ['HTML with entities', { 'dist/index.html': `<meta name="k" content="${each(K, (c) => `&#${c};`)}">` }, 'html-entity'],
    ['brotli copy only', { 'dist/a.js.br': new Uint8Array(brotliCompressSync(`k="${K}"`)) }, 'brotli>plain'],
    ['JSON with \\u escapes', { 'dist/config.json': JSON.stringify({ k: each(K, (c) => `\\u00${h2(c)}`) }) }, 'js-escape'],
    ['dotfile copied from public/', { 'dist/.npmrc': `//registry/:_authToken=${K}` }, 'plain'],
    ['clean bundle', { 'dist/a.js': 'console.log("hello")', 'dist/a.js.map': '{"version":3,"sources":[],"mappings":""}' }, null],
    ['another key in the bundle', { 'dist/a.js': `k="sk-proj-${'x'.repeat(156)}"` }, null],
  ];
  for (const [name, files, form] of cases) {
    it(`${form ? 'leak' : 'clean'}: ${name}`, async () => {
      const root = write(temp('case'), files);
      const r = await audit(root);
      if (!form) expect(r.findings).toEqual([]);
      else {
        expect(r.findings.map((f) => f.form)).toContain(form);
        for (const f of r.findings) expect(f.target).toBe('bundle');
      }
    });
  }

  it('says clearly when the output folder is missing', async () => {
    await expect(audit(temp('none'), 'dist')).rejects.toThrow(/Build the project first/);
  });
});
