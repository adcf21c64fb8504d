// Where the server gets the key at run time. Two ways, both common with containers:
// - OPENAI_API_KEY_FILE names a file that holds the key (Compose and Docker mount secrets as files
//   under /run/secrets/), or
// - OPENAI_API_KEY holds the key itself (docker run --env-file, Compose env_file:).
import { readFileSync } from 'node:fs';

export function readKey() {
  const file = process.env.OPENAI_API_KEY_FILE;
  if (file) return readFileSync(file, 'utf8').trim();
  return process.env.OPENAI_API_KEY;
}
