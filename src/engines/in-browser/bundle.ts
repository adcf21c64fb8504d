// `vite build` reproduced with esbuild (the wasm build in the browser's worker, the same package in
// Node tests): index.html entries, `.env` values behind `import.meta.env` for the exposed prefix
// only, `define`, `public/` copied as is, source maps as build.sourcemap asks, output in outDir.
// What it does not do (documented in docs/hosted-engines.md): run vite.config code or plugins,
// resolve packages from node_modules (they stay as external imports: the in-browser workspace has
// no node_modules), several HTML pages, library mode, compression plugins.
import type { BuildOptions, BuildResult, Message, Metafile, OutputFile, Plugin } from 'esbuild-wasm';
import { clientEnv, importMetaEnvDefines, loadEnv, replaceHtmlEnv } from './vite-env.ts';
import { buildModeFromPackageJson, CONFIG_FILES, readViteConfig, type ViteSettings } from './vite-config.ts';
import { injectBuiltTags, readHtmlEntry } from './html.ts';
import { normalizePath } from './memory-fs.ts';

/** The part of esbuild's API the bundler needs (esbuild-wasm in a worker, or in Node). */
export interface EsbuildApi {
  build(options: BuildOptions & { write: false; metafile: true }): Promise<BuildResult<{ write: false; metafile: true }>>;
  version: string;
}

export interface BundleResult {
  ok: boolean;
  /** Output folder relative to the project root ("dist"). */
  outDir: string;
  /** Written files, paths relative to the project root ("dist/assets/index-3f2a.js"). */
  files: Record<string, Uint8Array>;
  /** A build log in the spirit of Vite's, for the output panel. */
  log: string;
  warnings: string[];
  errors: string[];
  /** Bare imports left unbundled (no node_modules in the in-browser workspace). */
  externals: string[];
  settings: ViteSettings;
  mode: string;
}

/** Virtual folder the project lives in for esbuild; not a real folder anywhere. */
const ROOT = '/__leakproof_project__';
const ENTRY = `${ROOT}/__leakproof_entry__.js`;
/** Vite inlines assets smaller than this as data: URLs (build.assetsInlineLimit default). */
const INLINE_LIMIT = 4096;
const RESOLVE_EXTENSIONS = ['', '.mjs', '.js', '.mts', '.ts', '.jsx', '.tsx', '.json'];

const LOADERS: Record<string, NonNullable<BuildOptions['loader']>[string]> = {
  js: 'js', mjs: 'js', cjs: 'js', jsx: 'jsx', ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx',
  css: 'css', json: 'json', txt: 'text', md: 'text', html: 'text',
};
const ASSET = /\.(png|jpe?g|gif|webp|avif|svg|ico|bmp|woff2?|ttf|otf|eot|mp3|mp4|webm|ogg|wav|wasm|pdf)$/i;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function extension(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const i = base.lastIndexOf('.');
  return i <= 0 ? '' : base.slice(i + 1).toLowerCase();
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(2)} kB`;
}

export async function bundleViteProject(esbuild: EsbuildApi, input: Iterable<[string, Uint8Array]>): Promise<BundleResult> {
  const started = Date.now();
  const files = new Map<string, Uint8Array>();
  for (const [p, data] of input) files.set(normalizePath(p), data);
  const text = (p: string) => {
    const d = files.get(p);
    return d === undefined ? undefined : decoder.decode(d);
  };

  const mode = buildModeFromPackageJson(text('package.json'));
  const configFile = CONFIG_FILES.find((f) => files.has(f));
  // The config's own loadEnv() call sees the same files; its prefix argument decides what it gets.
  const settings = readViteConfig(configFile ? text(configFile) : undefined, configFile, {
    envForConfig: (prefixes) => {
      const env = loadEnv(text, mode, ['\0']);
      if (prefixes.length === 1 && prefixes[0] === '') return env.all;
      return Object.fromEntries(Object.entries(env.all).filter(([k]) => prefixes.some((p) => k.startsWith(p))));
    },
  });
  const env = loadEnv(text, mode, settings.envPrefix);
  const metaEnv = clientEnv(env.exposed, mode, settings.base);
  const outDir = normalizePath(settings.outDir);
  const log: string[] = [
    `vite build, in the browser (esbuild-wasm ${esbuild.version}): building for ${mode}...`,
    env.files.length ? `env files: ${env.files.join(', ')}` : 'env files: none',
    configFile ? `config: ${configFile} (read for define, envPrefix, build.sourcemap, build.outDir, publicDir, base)` : 'config: none (Vite defaults)',
  ];
  const result: BundleResult = { ok: false, outDir, files: {}, log: '', warnings: [...settings.warnings], errors: [], externals: [], settings, mode };
  const finish = () => {
    for (const w of result.warnings) log.push(`warning: ${w}`);
    for (const e of result.errors) log.push(`error: ${e}`);
    result.log = `${log.join('\n')}\n`;
    return result;
  };

  const html = text('index.html');
  if (html === undefined) {
    result.errors.push('No index.html at the project root: Vite builds from index.html (add one with <script type="module" src="/src/main.js"></script>).');
    return finish();
  }
  const entry = readHtmlEntry(html);
  const publicDir = settings.publicDir === false ? undefined : normalizePath(settings.publicDir);
  const inPublic = (urlPath: string) => publicDir !== undefined && files.has(normalizePath(`${publicDir}/${urlPath}`));

  // One virtual entry importing every script and stylesheet of the page in order, like Vite's
  // single `index` chunk per HTML page.
  const inline = new Map<string, string>();
  const entryLines = entry.imports.map((imp, i) => {
    if (imp.kind === 'inline') {
      const id = `${ROOT}/__leakproof_inline_${i}__.js`;
      inline.set(id, imp.code);
      return `import ${JSON.stringify(id)};`;
    }
    const clean = imp.src.split(/[?#]/)[0]!;
    return `import ${JSON.stringify(clean.startsWith('/') ? clean : `./${clean}`)};`;
  });
  if (entryLines.length === 0) log.push('index.html has no module script: nothing to bundle.');

  const externals = new Set<string>();
  const vfs: Plugin = {
    name: 'leakproof-vfs',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.path === ENTRY || inline.has(args.path)) return { path: args.path, namespace: 'file' };
        const [spec, query] = args.path.split('?') as [string, string | undefined];
        if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(spec)) return { path: args.path, external: true };
        const fromDir = args.importer ? dirname(args.importer.slice(ROOT.length + 1)) : '';
        let candidate: string;
        if (spec.startsWith('/')) candidate = spec.slice(1);
        else if (spec.startsWith('.')) candidate = `${fromDir}/${spec}`;
        else {
          // Bare import: a package from node_modules, which this workspace does not have.
          const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          externals.add(name);
          return { path: args.path, external: true };
        }
        let rel: string;
        try {
          rel = normalizePath(candidate);
        } catch (e) {
          return { errors: [{ text: (e as Error).message }] };
        }
        const tries = [...RESOLVE_EXTENSIONS.map((x) => rel + x), ...RESOLVE_EXTENSIONS.slice(1).map((x) => `${rel}/index${x}`)];
        const found = tries.find((t) => files.has(t));
        if (found === undefined) {
          // "/logo.svg" served from public/ stays a URL, as in Vite.
          if (spec.startsWith('/') && inPublic(spec.slice(1))) return { path: spec, external: true };
          const from = args.importer ? args.importer.slice(ROOT.length + 1) : 'index.html';
          return { errors: [{ text: `Could not find "${args.path}" imported from ${from || 'index.html'}.` }] };
        }
        return { path: `${ROOT}/${found}`, namespace: 'file', suffix: query ? `?${query}` : undefined };
      });
      build.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        if (args.path === ENTRY) return { contents: entryLines.join('\n'), loader: 'js', resolveDir: ROOT };
        if (inline.has(args.path)) return { contents: inline.get(args.path)!, loader: 'js', resolveDir: ROOT };
        const rel = args.path.slice(ROOT.length + 1);
        const contents = files.get(rel)!;
        const query = args.suffix?.slice(1) ?? '';
        if (/(^|&)raw(&|$)/.test(query)) return { contents, loader: 'text' };
        if (/(^|&)url(&|$)/.test(query)) return { contents, loader: 'file' };
        if (/(^|&)inline(&|$)/.test(query)) return { contents, loader: 'dataurl' };
        const ext = extension(rel);
        if (ext === 'css' && /\.module\.css$/.test(rel)) return { contents, loader: 'local-css' };
        if (LOADERS[ext]) return { contents, loader: LOADERS[ext] };
        if (ASSET.test(rel)) return { contents, loader: contents.byteLength < INLINE_LIMIT && ext !== 'svg' ? 'dataurl' : 'file' };
        return { contents, loader: 'file' };
      });
    },
  };

  const sourcemap = settings.sourcemap === true ? 'linked' : settings.sourcemap === 'hidden' ? 'external' : settings.sourcemap === 'inline' ? 'inline' : false;
  const define: Record<string, string> = { ...importMetaEnvDefines(metaEnv, Object.keys(env.all)) };
  for (const [k, v] of Object.entries(settings.define)) define[k] = v;

  const outputs: Record<string, Uint8Array> = {};
  let scripts: string[] = [];
  let styles: string[] = [];
  if (entryLines.length > 0) {
    let built: BuildResult<{ write: false; metafile: true }>;
    try {
      built = await esbuild.build({
        absWorkingDir: ROOT,
        entryPoints: [{ in: ENTRY, out: 'index' }],
        bundle: true,
        write: false,
        metafile: true,
        format: 'esm',
        splitting: true,
        minify: true,
        target: 'es2022',
        platform: 'browser',
        outdir: `${ROOT}/${outDir}/assets`,
        entryNames: '[name]-[hash]',
        chunkNames: '[name]-[hash]',
        assetNames: '[name]-[hash]',
        publicPath: `${settings.base}assets`,
        sourcemap,
        sourcesContent: true,
        define,
        jsx: 'automatic',
        tsconfigRaw: '{}',
        logLevel: 'silent',
        plugins: [vfs],
      });
    } catch (e) {
      const failure = e as { errors?: Message[] };
      result.errors.push(...(failure.errors?.map(formatMessage) ?? [String((e as Error).message ?? e)]));
      return finish();
    }
    result.warnings.push(...built.warnings.map(formatMessage));
    for (const file of built.outputFiles as OutputFile[]) {
      outputs[file.path.slice(ROOT.length + 1)] = file.contents;
    }
    ({ scripts, styles } = entryTags(built.metafile, settings.base));
  }
  result.externals = [...externals].sort();
  if (result.externals.length) {
    result.warnings.push(`not bundled (no node_modules in the in-browser engine): ${result.externals.join(', ')}`);
  }

  // public/ first, then the build output and the page (a built file wins over a public one).
  if (publicDir !== undefined) {
    for (const [p, data] of files) if (p.startsWith(`${publicDir}/`)) result.files[`${outDir}/${p.slice(publicDir.length + 1)}`] = data;
  }
  Object.assign(result.files, outputs);
  const page = injectBuiltTags(replaceHtmlEnv(entry.stripped, metaEnv), { scripts, styles });
  result.files[`${outDir}/index.html`] = encoder.encode(page);

  for (const [p, data] of Object.entries(result.files).sort(([a], [b]) => (a < b ? -1 : 1))) log.push(`${p.padEnd(48)} ${kb(data.byteLength)}`);
  log.push(`built in ${Date.now() - started} ms`);
  result.ok = true;
  return finish();
}

function entryTags(metafile: Metafile, base: string): { scripts: string[]; styles: string[] } {
  const scripts: string[] = [];
  const styles: string[] = [];
  for (const [out, meta] of Object.entries(metafile.outputs)) {
    // The only entry point is the virtual one that imports the page's scripts and stylesheets.
    if (!meta.entryPoint || !meta.entryPoint.endsWith(ENTRY.slice(ENTRY.lastIndexOf('/') + 1))) continue;
    const name = out.slice(out.lastIndexOf('/') + 1);
    if (out.endsWith('.js')) scripts.push(`${base}assets/${name}`);
    if (out.endsWith('.css')) styles.push(`${base}assets/${name}`);
    const css = meta.cssBundle;
    if (css) styles.push(`${base}assets/${css.slice(css.lastIndexOf('/') + 1)}`);
  }
  return { scripts, styles: [...new Set(styles)] };
}

function formatMessage(m: Message): string {
  const where = m.location ? `${m.location.file.replace(`${ROOT}/`, '')}:${m.location.line}:${m.location.column}: ` : '';
  return `${where}${m.text}`;
}
