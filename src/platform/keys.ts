// Key values, ids and masking. Pure: no node:* imports (the panel reuses maskKey in the browser).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Real OpenAI keys carry this marker; the course's fake keys must not (no scanner or push
// protection should ever fire on this repository or on a learner's exercise).
const REAL_MARKER = 'T3Blbk' + 'FJ';
const PREFIXES = ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-'];

export type KeyKind = 'project' | 'service_account' | 'admin';

export const KEY_PREFIX: Record<KeyKind, string> = {
  project: 'sk-proj-',
  service_account: 'sk-svcacct-',
  admin: 'sk-admin-',
};

export function randomString(length: number, alphabet = ALPHABET): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  // Both alphabets used here have 64 or 36 symbols; modulo bias on 36 is irrelevant for ids.
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** A fresh fake key of real length (prefix + 156 URL-safe characters), never with the real marker. */
export function generateKey(kind: KeyKind): string {
  for (;;) {
    const key = KEY_PREFIX[kind] + randomString(156);
    if (!key.includes(REAL_MARKER)) return key;
  }
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export function newId(prefix: string, length = 20): string {
  return prefix + randomString(length, ID_ALPHABET);
}

function prefixOf(value: string): string {
  return PREFIXES.find((p) => value.startsWith(p)) ?? '';
}

/**
 * The key as OpenAI prints it in a 401 message: its prefix, stars, and the last four characters
 * (`sk-proj-****…****MxYA`). Short or odd strings keep less, so a mistyped value is never echoed whole.
 */
export function maskKey(value: string): string {
  const prefix = prefixOf(value);
  const rest = value.slice(prefix.length);
  if (rest.length <= 8) return prefix + '*'.repeat(rest.length);
  return prefix + '*'.repeat(rest.length - 4) + rest.slice(-4);
}

/** The short form the Admin API returns as `redacted_value` (`sk-proj-...MxYA`). */
export function redactKey(value: string): string {
  const prefix = prefixOf(value);
  const rest = value.slice(prefix.length);
  return prefix + '...' + (rest.length > 8 ? rest.slice(-4) : '');
}

/** Constant-time string comparison (for the control token). */
export function safeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}
