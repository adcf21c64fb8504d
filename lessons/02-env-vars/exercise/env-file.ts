// Reads dotenv-style files the way Node's --env-file and the dotenv package do for the simple cases
// a learner writes: `NAME=value`, optional `export `, optional quotes, `#` comments.
import type { FileMap } from '../../../src/lib/fs/types.ts';

export function parseEnv(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) continue;
    let value = m[2]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.indexOf(quote, 1) > 0) {
      value = value.slice(1, value.indexOf(quote, 1));
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    vars.set(m[1]!, value);
  }
  return vars;
}

export function envFileHoldsKey(files: FileMap, key: string): { status: 'pass' | 'fail'; message: string } {
  const text = files['.env'];
  if (text === undefined) return { status: 'fail', message: 'There is no .env file in the project folder yet.' };
  const value = parseEnv(text).get('OPENAI_API_KEY');
  if (value === undefined) return { status: 'fail', message: '.env has no line that starts with `OPENAI_API_KEY=`.' };
  if (value !== key) {
    return {
      status: 'fail',
      message: value
        ? '.env sets OPENAI_API_KEY, but not to the key of this exercise: copy the whole key, with nothing before or after it.'
        : '.env has `OPENAI_API_KEY=` with nothing after it: paste the key after the = sign.',
    };
  }
  return { status: 'pass', message: '.env sets OPENAI_API_KEY to the key.' };
}
