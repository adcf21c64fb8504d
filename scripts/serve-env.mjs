// The course server's own environment (scripts/serve.mjs). Learner code runs as its children and
// can read /proc/$PPID/environ, so the server process keeps only what it needs to run: no API
// keys, tokens or cloud credentials of the user. Proxy, certificate and npm registry settings are
// needed for dependency installs only; they reach the server over a pipe (fd 3), not its
// environment, and src/engines/local/env.ts decides which of them an install gets.

export const NETWORK_ENV_FD = 3;

const KEEP = new Set([
  'PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TERM', 'TZ', 'TMPDIR', 'PORT',
  'NO_COLOR', 'FORCE_COLOR', 'NODE_OPTIONS', 'SYSTEMROOT', 'WINDIR',
]);

/** What the server process may see: the list above, LC_* and the course's own LEAKPROOF_* settings. */
export function scrubbedServerEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (KEEP.has(k) || /^LC_[A-Z]+$/.test(k) || /^LEAKPROOF_[A-Z0-9_]+$/.test(k)) out[k] = v;
  }
  out.LEAKPROOF_SERVER_SCRUBBED = '1';
  return out;
}

const NETWORK = /^(https?_proxy|no_proxy|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|npm_config_.+)$/i;

/** Candidates for a dependency install's network settings (env.ts keeps only the safe ones). */
export function readNetworkEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) if (v && NETWORK.test(k)) out[k] = v;
  return out;
}
