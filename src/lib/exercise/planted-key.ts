// The fake key planted in each attempt. Fresh per attempt from a cryptographic random source so a
// learner cannot pass by hard-coding last time's key, and shaped like a real project key
// (`sk-proj-` + 156 URL-safe characters) so every scanner treats it as real.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const PLANTED_KEY_PREFIX = 'sk-proj-';
/** Characters after the prefix; a real project key is about 164 characters long in total. */
export const PLANTED_KEY_RANDOM_LENGTH = 156;
// Real keys carry this base64 marker; ours never do, so they can never be mistaken for a real one.
// Built at run time so the marker itself is never written in the repository.
const REAL_KEY_MARKER = 'T3Blbk' + 'FJ';

/** Random URL-safe characters: 64 symbols, so `byte & 63` is unbiased. */
function randomChars(n: number): string {
  const bytes = new Uint8Array(n);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 63];
  return out;
}

export function generatePlantedKey(): string {
  for (;;) {
    const key = PLANTED_KEY_PREFIX + randomChars(PLANTED_KEY_RANDOM_LENGTH);
    if (!key.includes(REAL_KEY_MARKER)) return key;
  }
}

/** True for a key this module could have produced (used to validate key files and requests). */
export function isPlantedKeyShape(key: string): boolean {
  return (
    key.length === PLANTED_KEY_PREFIX.length + PLANTED_KEY_RANDOM_LENGTH &&
    key.startsWith(PLANTED_KEY_PREFIX) &&
    /^[A-Za-z0-9_-]+$/.test(key.slice(PLANTED_KEY_PREFIX.length)) &&
    !key.includes(REAL_KEY_MARKER)
  );
}

/** "sk-proj-Ab…(156 chars)…xY": enough to recognise, never the key. */
export function maskKey(key: string): string {
  if (key.length < 16) return '…';
  return `${key.slice(0, 10)}…(${key.length - 12} chars)…${key.slice(-2)}`;
}
