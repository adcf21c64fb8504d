// What a Compose file says about each service: how its image is built (context, Dockerfile,
// target, build args, build secrets) and what the container gets at run time (environment,
// env_file, secrets). `${VARS}` are filled as `docker compose` fills them: from the .env file beside
// the compose file (`docker compose --env-file X` would choose another; that file only fills
// `${VARS}`, it never reaches the container by itself).
import { parseDocument } from 'yaml';
import { cleanPath } from './docker-ignore.ts';
import { expandVars, parseDotenv } from './docker-vars.ts';

export interface ComposeSecret {
  name: string;
  /** Path relative to the audited root (`file:`), or the variable (`environment:`) it comes from. */
  file?: string;
  environment?: string;
}

export interface ComposeService {
  name: string;
  build?: {
    context: string;
    dockerfile: string;
    target?: string;
    args: Record<string, string>;
    /** Build secrets (`build.secrets`) by id. */
    secrets: ComposeSecret[];
  };
  image?: string;
  /** `environment:` after interpolation; a name without a value takes the value from .env / the shell. */
  environment: Record<string, string | undefined>;
  /** env_file paths relative to the audited root. */
  envFiles: Array<{ path: string; required: boolean }>;
  /** Runtime secrets (mounted at /run/secrets/<target or name>). */
  secrets: Array<ComposeSecret & { target: string }>;
  ports: string[];
}

export interface ComposeProject {
  file: string;
  services: ComposeService[];
  /** Values read from the .env beside the compose file (for ${VAR} interpolation). */
  interpolation: Map<string, string>;
}

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
export const joinRel = (a: string, b: string) => {
  const c = cleanPath(a ? `${a}/${b}` : b);
  return c === '.' ? '' : c;
};

/** Interpolates every string in a parsed YAML value. */
function interpolate(v: unknown, vars: Map<string, string>): unknown {
  if (typeof v === 'string') return expandVars(v, vars, '$');
  if (Array.isArray(v)) return v.map((x) => interpolate(x, vars));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolate(x, vars)]));
  return v;
}

/** `KEY: value` map or `- KEY=value` list (Compose accepts both for environment and build.args). */
function keyValues(v: unknown, vars: Map<string, string>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq < 0) out[s] = vars.get(s);
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) out[k] = x === null || x === undefined ? vars.get(k) : String(x);
  }
  return out;
}

/**
 * Parses a compose file. `dotenv` is the text of the .env beside it (or undefined). Throws the YAML
 * parser's error for a file that is not YAML.
 */
export function parseCompose(file: string, text: string, dotenv: string | undefined): ComposeProject {
  const doc = parseDocument(text);
  if (doc.errors.length) throw doc.errors[0];
  const vars = parseDotenv(dotenv ?? '');
  const root = interpolate(doc.toJS() ?? {}, vars) as { services?: Record<string, any>; secrets?: Record<string, any> };
  const here = dirOf(file);
  const topSecrets = new Map<string, ComposeSecret>();
  for (const [name, s] of Object.entries(root.secrets ?? {})) {
    if (!s || typeof s !== 'object') continue;
    topSecrets.set(name, { name, file: typeof s.file === 'string' ? joinRel(here, s.file) : undefined, environment: typeof s.environment === 'string' ? s.environment : undefined });
  }
  const secretRefs = (v: unknown) =>
    (Array.isArray(v) ? v : []).map((r) => {
      const source = typeof r === 'string' ? r : String(r?.source ?? '');
      const target = typeof r === 'string' ? r : String(r?.target ?? source);
      return { ...(topSecrets.get(source) ?? { name: source }), name: source, target };
    });
  const services: ComposeService[] = [];
  for (const [name, svc] of Object.entries(root.services ?? {})) {
    if (!svc || typeof svc !== 'object') continue;
    const b = svc.build;
    let build: ComposeService['build'];
    if (b) {
      const context = joinRel(here, typeof b === 'string' ? b : (b.context ?? '.'));
      build = {
        context,
        dockerfile: joinRel(context, typeof b === 'object' && b.dockerfile ? b.dockerfile : 'Dockerfile'),
        target: typeof b === 'object' && b.target ? String(b.target) : undefined,
        args: Object.fromEntries(Object.entries(typeof b === 'object' ? keyValues(b.args, vars) : {}).filter(([, x]) => x !== undefined)) as Record<string, string>,
        secrets: typeof b === 'object' ? secretRefs(b.secrets) : [],
      };
    }
    const envFiles = (svc.env_file === undefined ? [] : Array.isArray(svc.env_file) ? svc.env_file : [svc.env_file])
      .map((e: unknown) => (typeof e === 'string' ? { path: e, required: true } : { path: String((e as { path?: unknown })?.path ?? ''), required: (e as { required?: unknown })?.required !== false }))
      .filter((e: { path: string }) => e.path)
      .map((e: { path: string; required: boolean }) => ({ ...e, path: joinRel(here, e.path) }));
    services.push({
      name,
      build,
      image: typeof svc.image === 'string' ? svc.image : undefined,
      environment: keyValues(svc.environment, vars),
      envFiles,
      secrets: secretRefs(svc.secrets),
      ports: Array.isArray(svc.ports) ? svc.ports.map(String) : [],
    });
  }
  return { file, services, interpolation: vars };
}
