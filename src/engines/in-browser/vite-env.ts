// Vite's environment handling, reproduced for the in-browser bundler: which `.env` files are read
// for a mode, how they are parsed and expanded, and which values reach client code.
// Source of truth: vite `packages/vite/src/node/env.ts` (loadEnv) and `docs/guide/env-and-mode.md`.
// The point of the in-browser engine is that a `VITE_` key ends up in the bundle exactly where Vite
// would put it, and that nothing else does.

/** `.env` line grammar of the `dotenv` package (which Vite uses): KEY=value, quotes, `export`, comments. */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

export function parseDotenv(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = source.replace(/\r\n?/gm, '\n');
  LINE.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = LINE.exec(lines)) !== null) {
    const key = match[1]!;
    let value = (match[2] ?? '').trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
    if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    out[key] = value;
  }
  return out;
}

/**
 * `dotenv-expand` as Vite applies it: `${NAME}`, `$NAME` and `${NAME:-fallback}` refer to other
 * variables of the same files; `\$` is a literal dollar. (Vite also looks at the shell's variables;
 * a browser has none, which is what a clean machine gives too.)
 */
export function expandEnv(parsed: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const resolving = new Set<string>();
  const resolve = (name: string): string => {
    if (name in out) return out[name]!;
    if (!(name in parsed) || resolving.has(name)) return '';
    resolving.add(name);
    const value = expandValue(parsed[name]!, resolve);
    resolving.delete(name);
    out[name] = value;
    return value;
  };
  for (const name of Object.keys(parsed)) resolve(name);
  return out;
}

function expandValue(value: string, lookup: (name: string) => string): string {
  return value
    .replace(/(\\)?\$\{([A-Za-z_][\w.-]*)(?::?-([^}]*))?\}|(\\)?\$([A-Za-z_]\w*)/g, (whole, esc1, braced, fallback, esc2, bare) => {
      if (esc1 || esc2) return whole.slice(1);
      const name = (braced ?? bare) as string;
      const v = lookup(name);
      return v === '' && fallback !== undefined ? (fallback as string) : v;
    });
}

/** The files Vite reads for a mode, in increasing priority (later files win). */
export function envFilesForMode(mode: string): string[] {
  return ['.env', '.env.local', `.env.${mode}`, `.env.${mode}.local`];
}

export interface LoadedEnv {
  /** Every variable of the mode's files, expanded (what `loadEnv(mode, dir, '')` returns). */
  all: Record<string, string>;
  /** Only the variables client code may see (prefixed), i.e. what goes into `import.meta.env`. */
  exposed: Record<string, string>;
  /** Files that were read, for the build log. */
  files: string[];
}

/**
 * Vite's `loadEnv(mode, envDir, prefixes)` over files given as text.
 * @param readText returns a file's text relative to the env folder, or undefined when absent.
 */
export function loadEnv(readText: (path: string) => string | undefined, mode: string, prefixes: string[] = ['VITE_']): LoadedEnv {
  if (mode === 'local') {
    throw new Error('"local" cannot be used as a mode name because it conflicts with the .local postfix for .env files (Vite refuses it too). Pick another --mode.');
  }
  if (prefixes.some((p) => p === '')) {
    throw new Error('envPrefix in vite.config must not be "": that would expose every variable, including secrets, to client code (Vite refuses it too).');
  }
  const files: string[] = [];
  const parsed: Record<string, string> = {};
  for (const file of envFilesForMode(mode)) {
    const text = readText(file);
    if (text === undefined) continue;
    files.push(file);
    Object.assign(parsed, parseDotenv(text));
  }
  const all = expandEnv(parsed);
  const exposed: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (prefixes.some((p) => k.startsWith(p))) exposed[k] = v;
  return { all, exposed, files };
}

/**
 * The values Vite puts behind `import.meta.env` in a client build. `vite build` sets
 * NODE_ENV=production whatever the mode, so DEV is false and PROD true even for `--mode staging`.
 */
export function clientEnv(exposed: Record<string, string>, mode: string, base: string): Record<string, string | boolean> {
  return {
    BASE_URL: base,
    MODE: mode,
    DEV: false,
    PROD: true,
    SSR: false,
    ...exposed,
  };
}

/**
 * esbuild `define` entries that reproduce Vite's replacement of `import.meta.env` in client code:
 * each known key becomes its JSON literal; `import.meta.env` as a whole becomes the object; any other
 * `import.meta.env.X` becomes `undefined` through the object, as in Vite. Non-exposed values are not
 * in `env` at all, so they cannot be inlined.
 */
export function importMetaEnvDefines(env: Record<string, string | boolean>, hidden: string[] = []): Record<string, string> {
  const defines: Record<string, string> = {};
  // Vite 8 turns a non-exposed `import.meta.env.SECRET` into `void 0`; do the same for the names
  // the .env files hold, so not even the name reaches the bundle.
  for (const k of hidden) if (/^[A-Za-z_$][\w$]*$/.test(k) && !(k in env)) defines[`import.meta.env.${k}`] = 'undefined';
  for (const [k, v] of Object.entries(env)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(k)) continue;
    defines[`import.meta.env.${k}`] = JSON.stringify(v);
  }
  defines['import.meta.env'] = JSON.stringify(env);
  // Vite replaces process.env.NODE_ENV in client code for libraries that read it.
  defines['process.env.NODE_ENV'] = JSON.stringify(env.PROD ? 'production' : 'development');
  return defines;
}

/** `%VITE_NAME%` in index.html is replaced by the value, as Vite does (unknown names stay). */
export function replaceHtmlEnv(html: string, env: Record<string, string | boolean>): string {
  return html.replace(/%(\S+?)%/g, (whole, name: string) => (Object.hasOwn(env, name) ? String(env[name]) : whole));
}
