// A stand-in for the engine's key generator (src/lib/exercise/planted-key.ts, owned by the engine
// work): a fresh fake key per attempt, planted where the starter says {{PLANTED_KEY}}.
import type { FileMap } from '../fs/types.ts';

export const PLANTED_KEY_PLACEHOLDER = '{{PLANTED_KEY}}';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Real OpenAI keys carry this marker; fake ones must not, so scanners never mistake them.
const REAL_MARKER = 'T3Blbk' + 'FJ';

/** `sk-proj-` + 156 URL-safe characters from a cryptographic random source. */
export function generateFakeKey(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  for (;;) {
    const bytes = random(new Uint8Array(156));
    // 256 is a multiple of 64, so `% 64` is unbiased.
    let body = '';
    for (const b of bytes) body += ALPHABET[b % 64];
    const key = `sk-proj-${body}`;
    if (!key.includes(REAL_MARKER)) return key;
  }
}

export function plantKey(files: FileMap, key: string): FileMap {
  const out: FileMap = {};
  for (const [path, text] of Object.entries(files)) out[path] = text.split(PLANTED_KEY_PLACEHOLDER).join(key);
  return out;
}
