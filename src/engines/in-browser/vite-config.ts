// A cheap reading of a project's vite.config.{js,mjs,ts,mts}: the in-browser engine cannot run the
// config (no Node), so it reads the handful of settings that change what lands in the bundle.
// Limits (documented in docs/hosted-engines.md): only literal values are understood; a setting
// computed by code, spread from another object or set by a plugin is not seen, and the build log
// says so ("could not read ..."). For anything beyond that, run the course locally (`npm start`).

export type SourcemapSetting = boolean | 'hidden' | 'inline';

export interface ViteSettings {
  /** The config file that was read, if any. */
  file?: string;
  sourcemap: SourcemapSetting;
  envPrefix: string[];
  outDir: string;
  /** `false` disables copying. */
  publicDir: string | false;
  base: string;
  /** esbuild define entries (expression strings) from `define: { ... }`. */
  define: Record<string, string>;
  /** Config settings that exist but could not be read (shown in the build log). */
  warnings: string[];
}

export const CONFIG_FILES = ['vite.config.ts', 'vite.config.mts', 'vite.config.js', 'vite.config.mjs', 'vite.config.cts', 'vite.config.cjs'];

/** Removes comments, keeping strings intact (a URL's "//" is not a comment). */
export function stripComments(code: string): string {
  let out = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    const next = code[i + 1];
    if (c === '"' || c === "'" || c === '`') {
      const start = i++;
      while (i < code.length && code[i] !== c) i += code[i] === '\\' ? 2 : 1;
      out += code.slice(start, ++i);
    } else if (c === '/' && next === '/') {
      while (i < code.length && code[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end < 0 ? code.length : end + 2;
      out += ' ';
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const STRING = String.raw`(?:'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)"|\x60((?:\\.|[^\x60\\$])*)\x60)`;

function stringValue(m: RegExpExecArray, first: number): string | undefined {
  return m[first] ?? m[first + 1] ?? m[first + 2];
}

/** The text between the `{` at `open` and its matching `}`. */
function balanced(code: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < code.length && code[i] !== c) i += code[i] === '\\' ? 2 : 1;
    } else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return code.slice(open + 1, i);
    }
  }
  return undefined;
}

/** Splits an object/array body at top-level commas. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < body.length && body[i] !== c) i += body[i] === '\\' ? 2 : 1;
    } else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

function unquote(raw: string): string | undefined {
  const m = new RegExp(`^${STRING}$`, 's').exec(raw.trim());
  if (!m) return undefined;
  return unescapeJs(stringValue(m, 1)!);
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

function unescapeJs(s: string): string {
  return s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\n|[\s\S])/g, (_, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if ((e[0] === 'u' && e.length === 5) || (e[0] === 'x' && e.length === 3)) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e === '\n') return '';
    return SIMPLE_ESCAPES[e] ?? e;
  });
}

/**
 * One `define` value as Vite treats it: a string is used as the expression itself; any other
 * literal is JSON.stringify'd; `JSON.stringify(<literal>)` and `JSON.stringify(env.NAME)` (with
 * `env` from `loadEnv`) are evaluated. Returns undefined when the value is code we cannot read.
 */
export function defineValue(raw: string, loadedEnv?: Record<string, string>): string | undefined {
  const v = raw.trim();
  const str = unquote(v);
  if (str !== undefined) return str;
  if (/^-?\d+(\.\d+)?$/.test(v) || v === 'true' || v === 'false' || v === 'null') return v;
  const js = /^JSON\.stringify\(\s*([\s\S]*?)\s*\)$/.exec(v);
  if (js) {
    const inner = js[1]!;
    const s = unquote(inner);
    if (s !== undefined) return JSON.stringify(s);
    if (/^-?\d+(\.\d+)?$/.test(inner) || inner === 'true' || inner === 'false' || inner === 'null') return inner;
    const envRef = /^(\w+)\.(\w+)$|^(\w+)\[\s*['"](\w+)['"]\s*\]$/.exec(inner);
    if (envRef && loadedEnv) {
      const name = envRef[2] ?? envRef[4]!;
      // JSON.stringify(undefined) is undefined: Vite then leaves the identifier alone.
      return Object.hasOwn(loadedEnv, name) ? JSON.stringify(loadedEnv[name]) : undefined;
    }
    return undefined;
  }
  const envRef = /^(\w+)\.(\w+)$/.exec(v);
  if (envRef && loadedEnv && envRef[1] !== 'process' && Object.hasOwn(loadedEnv, envRef[2]!)) return loadedEnv[envRef[2]!];
  return undefined;
}

export interface ReadConfigOptions {
  /** Env of the mode as `loadEnv(mode, dir, prefix)` would return it for the config's own call. */
  envForConfig?: (prefixes: string[]) => Record<string, string>;
}

/** Reads the settings the bundle depends on. `code` undefined = no config file (Vite's defaults). */
export function readViteConfig(code: string | undefined, file?: string, options: ReadConfigOptions = {}): ViteSettings {
  const settings: ViteSettings = {
    file,
    sourcemap: false,
    envPrefix: ['VITE_'],
    outDir: 'dist',
    publicDir: 'public',
    base: '/',
    define: {},
    warnings: [],
  };
  if (code === undefined) return settings;
  const src = stripComments(code);
  const where = file ?? 'vite.config';

  const sm = /\bsourcemap\s*:\s*([^,}\n]+)/.exec(src);
  if (sm) {
    const raw = sm[1]!.trim();
    if (raw === 'true') settings.sourcemap = true;
    else if (raw === 'false') settings.sourcemap = false;
    else {
      const s = unquote(raw);
      if (s === 'hidden' || s === 'inline') settings.sourcemap = s;
      else {
        // Unknown expression: assume maps are produced, the safer guess for a leak check.
        settings.sourcemap = true;
        settings.warnings.push(`could not read build.sourcemap (${raw}) in ${where}: assumed true`);
      }
    }
  }

  const prefix = new RegExp(String.raw`\benvPrefix\s*:\s*(?:${STRING}|\[([^\]]*)\])`).exec(src);
  if (prefix) {
    const single = stringValue(prefix, 1);
    if (single !== undefined) settings.envPrefix = [single];
    else settings.envPrefix = splitTopLevel(prefix[4]!).map((p) => unquote(p) ?? '').filter((p) => p !== undefined);
  } else if (/\benvPrefix\s*:/.test(src)) settings.warnings.push(`could not read envPrefix in ${where}: used VITE_`);

  const out = new RegExp(String.raw`\boutDir\s*:\s*${STRING}`).exec(src);
  if (out) settings.outDir = stringValue(out, 1)!.replace(/^\.\//, '').replace(/\/$/, '') || 'dist';
  else if (/\boutDir\s*:/.test(src)) settings.warnings.push(`could not read build.outDir in ${where}: used dist`);

  const pub = new RegExp(String.raw`\bpublicDir\s*:\s*(?:${STRING}|(false))`).exec(src);
  if (pub) settings.publicDir = pub[4] === 'false' ? false : stringValue(pub, 1)!.replace(/^\.\//, '').replace(/\/$/, '');

  const base = new RegExp(String.raw`\bbase\s*:\s*${STRING}`).exec(src);
  if (base) {
    let b = stringValue(base, 1)!;
    if (!b.startsWith('/') && !/^https?:/.test(b) && b !== './' && b !== '') b = `/${b}`;
    if (!b.endsWith('/')) b += '/';
    settings.base = b;
  }

  const defineAt = /\bdefine\s*:\s*\{/.exec(src);
  if (defineAt) {
    const body = balanced(src, defineAt.index + defineAt[0].length - 1);
    // `loadEnv(mode, process.cwd(), '')` gives the config every variable, prefixed or not.
    const call = /\bloadEnv\s*\(/.exec(src);
    let loaded: Record<string, string> | undefined;
    if (call && options.envForConfig) {
      const args = splitTopLevel(balanced(src, call.index + call[0].length - 1) ?? '');
      const third = args[2];
      const prefixes = third === undefined ? ['VITE_'] : unquote(third) !== undefined ? [unquote(third)!] : ['VITE_'];
      loaded = options.envForConfig(prefixes);
    }
    for (const entry of splitTopLevel(body ?? '')) {
      const m = new RegExp(String.raw`^(?:${STRING}|([A-Za-z_$][\w$.]*))\s*:\s*([\s\S]+)$`).exec(entry);
      if (!m) {
        settings.warnings.push(`could not read define entry "${entry.slice(0, 40)}" in ${where}`);
        continue;
      }
      const key = stringValue(m, 1) ?? m[4]!;
      const value = defineValue(m[5]!, loaded);
      if (value === undefined) settings.warnings.push(`could not read define "${key}" in ${where} (only literal values are understood)`);
      else settings.define[key] = value;
    }
  }
  return settings;
}

/** The `--mode` of the project's `build` script (`vite build --mode staging`), default production. */
export function buildModeFromPackageJson(packageJson: string | undefined): string {
  if (!packageJson) return 'production';
  try {
    const script = (JSON.parse(packageJson) as { scripts?: Record<string, string> }).scripts?.build ?? '';
    const m = /(?:--mode[= ]|-m )\s*([\w.-]+)/.exec(script);
    return m ? m[1]! : 'production';
  } catch {
    return 'production';
  }
}
