// Builds the exercise editor (Monaco + the workspace UI) with esbuild, apart from Astro's Vite build.
// Why: Astro hoists the CSS of dynamically imported modules into the page head (withastro/astro#9495),
// which would put Monaco's CSS on every chapter page. Built here, the editor's JS, CSS, fonts and
// workers are plain files under /_leakproof/editor/ that the page loads only when the exercise opens.
//
// The page learns the hashed file names from the virtual module `virtual:leakproof-editor`.
// Used as an Astro integration: `integrations: [leakproofEditor()]` in astro.config.mjs.
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// The package exports neither package.json nor its CSS: find its folder from its main file.
const monacoDir = (() => {
  const main = require.resolve('monaco-editor');
  return main.slice(0, main.lastIndexOf('monaco-editor') + 'monaco-editor'.length);
})();
const OUT_PREFIX = '_leakproof/editor';
const VIRTUAL = 'virtual:leakproof-editor';
const RESOLVED = '\0' + VIRTUAL;

// monaco-editor's package exports map "./*" to "./esm/vs/*.js", which hides its CSS files:
// resolve "monaco-editor/esm/..." straight to the file on disk.
const monacoFiles = {
  name: 'monaco-files',
  setup(b) {
    b.onResolve({ filter: /^monaco-editor\/esm\// }, (args) => ({ path: join(monacoDir, args.path.slice('monaco-editor/'.length)) }));
  },
};

const common = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  target: 'es2022',
  write: false,
  logLevel: 'warning',
  plugins: [monacoFiles],
  define: { 'process.env.NODE_ENV': '"production"' },
};

/** Builds everything in memory: returns { files: Map<relPath, Uint8Array>, manifest }. */
export async function buildEditorBundle({ outdir = resolve(here, '../../../../.cache/leakproof-editor') } = {}) {
  const files = new Map();
  const collect = (result) => {
    for (const f of result.outputFiles) {
      const rel = relative(outdir, f.path).split('\\').join('/');
      // esbuild gives every lazily loaded grammar chunk a copy of the core CSS that nothing loads.
      if (rel.startsWith('chunks/') && rel.endsWith('.css')) continue;
      files.set(rel, f.contents);
    }
    return result;
  };
  const workers = collect(
    await build({
      ...common,
      entryPoints: {
        'editor.worker': join(monacoDir, 'esm/vs/editor/editor.worker.js'),
      },
      format: 'iife',
      outdir,
      entryNames: '[name]-[hash]',
      metafile: true,
    }),
  );
  const main = collect(
    await build({
      ...common,
      entryPoints: { editor: join(here, '../editor/main.ts') },
      format: 'esm',
      splitting: true,
      outdir,
      entryNames: '[name]-[hash]',
      chunkNames: 'chunks/[name]-[hash]',
      assetNames: 'assets/[name]-[hash]',
      loader: { '.ttf': 'file' },
      metafile: true,
    }),
  );
  // By file name: chunks loaded with import() (editor/diff-editor.ts) are entry points too.
  const entry = (result, name, ext) =>
    relative(
      outdir,
      Object.entries(result.metafile.outputs).find(([out, meta]) => meta.entryPoint && out.endsWith(ext) && out.split('/').pop().startsWith(`${name}-`))?.[0] ?? '',
    );
  const cssOut = Object.keys(main.metafile.outputs).find((o) => o.endsWith('.css') && relative(outdir, o).startsWith('editor-'));
  const script = entry(main, 'editor', '.js');
  // Chunks the entry imports statically: preloaded together with it instead of one after another.
  // (metafile paths are relative to the working directory)
  const entryMeta = Object.entries(main.metafile.outputs).find(([out]) => resolve(out) === join(outdir, script))?.[1];
  const preload = (entryMeta?.imports ?? [])
    .filter((i) => i.kind === 'import-statement')
    .map((i) => relative(outdir, resolve(i.path)));
  const manifest = {
    script,
    preload,
    css: cssOut ? relative(outdir, cssOut) : null,
    workers: { editor: entry(workers, 'editor.worker', '.js') },
  };
  return { files, manifest };
}

const contentType = (p) =>
  p.endsWith('.js') ? 'text/javascript' : p.endsWith('.css') ? 'text/css' : p.endsWith('.ttf') ? 'font/ttf' : p.endsWith('.map') ? 'application/json' : 'application/octet-stream';

/** Astro integration: serves the bundle in dev, writes it into the build output, exposes the manifest. */
export default function leakproofEditor() {
  let base = '/';
  let bundle = null;
  let building = null;
  const get = () => (bundle ? Promise.resolve(bundle) : (building ??= buildEditorBundle().then((b) => (bundle = b))));
  const url = (p) => `${base.replace(/\/?$/, '/')}${OUT_PREFIX}/${p}`;

  const vitePlugin = {
    name: 'leakproof-editor',
    resolveId: (id) => (id === VIRTUAL ? RESOLVED : null),
    async load(id) {
      if (id !== RESOLVED) return null;
      const { manifest } = await get();
      const m = {
        script: url(manifest.script),
        preload: manifest.preload.map(url),
        css: manifest.css ? url(manifest.css) : null,
        workers: { editor: url(manifest.workers.editor) },
      };
      return `export default ${JSON.stringify(m)};`;
    },
    // Dev: rebuild when the editor's own sources change.
    handleHotUpdate({ file, server }) {
      if (file.includes('/components/workspace/editor/') || file.includes('/lib/workspace/')) {
        bundle = null;
        building = null;
        const mod = server.moduleGraph.getModuleById(RESOLVED);
        if (mod) server.moduleGraph.invalidateModule(mod);
      }
    },
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const path = (req.url ?? '').split('?')[0];
        const at = path.indexOf(`/${OUT_PREFIX}/`);
        if (at < 0) return next();
        const { files } = await get();
        const body = files.get(decodeURIComponent(path.slice(at + OUT_PREFIX.length + 2)));
        if (!body) return next();
        res.setHeader('Content-Type', contentType(path));
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        res.end(Buffer.from(body));
      });
    },
  };

  return {
    name: 'leakproof-editor',
    hooks: {
      'astro:config:setup': ({ config, updateConfig }) => {
        base = config.base || '/';
        updateConfig({ vite: { plugins: [vitePlugin] } });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const { files } = await get();
        const root = join(fileURLToPath(dir), OUT_PREFIX);
        for (const [p, body] of files) {
          const target = join(root, p);
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, body);
        }
        logger.info(`exercise editor: ${files.size} files in ${OUT_PREFIX}/`);
      },
    },
  };
}
