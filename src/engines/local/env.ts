// The environment of every exercise process, built from scratch: nothing of the user's own
// environment (OPENAI_API_KEY, tokens, cloud credentials) is copied. Only what Node and npm need.
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { homedir } from 'node:os';

/** Folder holding `npm` on the server's PATH (read once; only its location is used, never values). */
function npmDir(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'npm'))) return dir;
  }
  return null;
}

const NPM_DIR = npmDir();

export interface EnvOptions {
  home: string;
  tmp: string;
  npmCache: string;
  platformBaseUrl?: string;
}

export function baseEnv(o: EnvOptions): Record<string, string> {
  const path = [dirname(process.execPath), NPM_DIR, '/usr/local/bin', '/usr/bin', '/bin'].filter(
    (d, i, all): d is string => !!d && all.indexOf(d) === i,
  );
  const env: Record<string, string> = {
    PATH: path.join(delimiter),
    HOME: o.home,
    TMPDIR: o.tmp,
    LANG: 'C.UTF-8',
    // Bind dev servers to loopback when they read HOST.
    HOST: '127.0.0.1',
    CI: '1',
    NO_COLOR: '1',
    BROWSER: 'none',
    npm_config_cache: o.npmCache,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
  };
  // The exercise talks to the mock platform, never to api.openai.com.
  if (o.platformBaseUrl) env.OPENAI_BASE_URL = o.platformBaseUrl;
  return env;
}

// Only the dependency install (npm ci --ignore-scripts of a template's committed lockfile, run by
// the engine, not by learner code) may reach the registry the way the user's own npm does: their
// proxy, certificate authorities, registry and .npmrc location pass. npm_config_* credentials
// (_authToken, _auth, _password, …) and everything else do not.
const NETWORK_VARS = /^(https?_proxy|no_proxy|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR)$/i;
const NPM_SETTINGS = /^npm_config_((@[^:]+:)?registry|cafile|strict_ssl|proxy|https_proxy|noproxy|userconfig)$/i;

let networkEnv: Record<string, string | undefined> | null = null;

/** The course server passes these in (it keeps them out of its own environment: scripts/serve-env.mjs). */
export function setInstallNetworkEnv(env: Record<string, string | undefined>): void {
  networkEnv = env;
}

export function installEnvExtras(): Record<string, string> {
  const source = networkEnv ?? process.env;
  const extra: Record<string, string> = {};
  for (const [name, v] of Object.entries(source)) {
    if (v && (NETWORK_VARS.test(name) || NPM_SETTINGS.test(name))) extra[name] = v;
  }
  const userrc = source.npm_config_userconfig || join(homedir(), '.npmrc');
  if (existsSync(userrc)) extra.npm_config_userconfig = userrc;
  return extra;
}
