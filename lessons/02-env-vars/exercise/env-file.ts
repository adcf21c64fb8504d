// Reads dotenv-style files the way Node's --env-file and the dotenv package do for the simple cases
// a learner writes: `NAME=value`, optional `export `, optional quotes, `#` comments. These judge
// configuration files by what a loader would read from them; whether the program really loads one
// is judged by behaviour (key-from-env, and the platform's ledger in still-works).
import type { FileMap, ReadonlyFs } from '../../../src/lib/fs/types.ts';
import type { Evidence } from '../../../src/lib/exercise/results.ts';
import { leakCore } from '../../../src/lib/exercise/leak.ts';
import { isPlantedKeyShape } from '../../../src/lib/exercise/planted-key.ts';

type Verdict = { status: 'pass' | 'fail'; message: string; evidence?: Evidence[] };

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

/** `.env`, `.env.local`, `.env.development` …: files a loader may read the key from (not examples). */
export function isEnvFile(path: string): boolean {
  return /^\.env(\.[^/]+)?$/.test(path) && !/example|sample|template/i.test(path);
}

/** The project's root-level .env-style files (examples included), read from the engine. */
export async function rootEnvFiles(fs: ReadonlyFs): Promise<FileMap> {
  const out: FileMap = {};
  for (const e of await fs.readdir('').catch(() => [])) {
    if (e.kind === 'file' && /^\.env(\.|$)/.test(e.name)) out[e.name] = new TextDecoder().decode(await fs.readFile(e.name));
  }
  return out;
}

/** One .env-style file (`.env`, `.env.local`, …) sets OPENAI_API_KEY to exactly the key. */
export function envFileHoldsKey(files: FileMap, key: string): Verdict {
  const envs = Object.keys(files).filter(isEnvFile).sort();
  if (envs.length === 0) return { status: 'fail', message: 'There is no .env file in the project folder yet.' };
  let seen: { file: string; value: string } | null = null;
  for (const file of envs) {
    const value = parseEnv(files[file]!).get('OPENAI_API_KEY');
    if (value === key) return { status: 'pass', message: `${file} sets OPENAI_API_KEY to the key.` };
    if (value !== undefined) seen ??= { file, value };
  }
  if (!seen) return { status: 'fail', message: `${envs.join(', ')} has no line that starts with \`OPENAI_API_KEY=\`.` };
  return {
    status: 'fail',
    message: seen.value
      ? `${seen.file} sets OPENAI_API_KEY, but not to the key of this exercise: copy the whole key, with nothing before or after it.`
      : `${seen.file} has \`OPENAI_API_KEY=\` with nothing after it: paste the key after the = sign.`,
  };
}

/**
 * .env.example names OPENAI_API_KEY (plain or with `export`) and its value is a placeholder: not the
 * key in any form, not another key of the same shape (an older attempt's), not a real key. A
 * placeholder may look like one (`sk-proj-your-key-here`): what matters is that it is not a key.
 */
export async function examplePlaceholder(files: FileMap, key: string): Promise<Verdict> {
  const file = '.env.example';
  const text = files[file];
  if (text === undefined) return { status: 'fail', message: '`.env.example` is missing: create it.' };
  const { findKeyInBytes } = await leakCore();
  const found = await findKeyInBytes(key, new TextEncoder().encode(text), { file, target: 'source' });
  if (found.length > 0) {
    return { status: 'fail', message: `\`${file}\` line ${found[0]!.line || 1} holds the key. An example file is committed: it names the variable and leaves the value out.`, evidence: [{ file, line: found[0]!.line, form: found[0]!.form }] };
  }
  const vars = parseEnv(text);
  if (!vars.has('OPENAI_API_KEY')) return { status: 'fail', message: `\`${file}\` does not name OPENAI_API_KEY yet: add a line \`OPENAI_API_KEY=\`.`, evidence: [{ file }] };
  const value = vars.get('OPENAI_API_KEY')!;
  const realMarker = 'T3Blbk' + 'FJ'; // built here so the marker itself is never in the repository
  if (isPlantedKeyShape(value) || value.includes(realMarker)) {
    return { status: 'fail', message: `\`${file}\` gives OPENAI_API_KEY a value that is a real key, not a placeholder. Leave it empty or write something like \`your-key-here\`.`, evidence: [{ file }] };
  }
  return { status: 'pass', message: `\`${file}\` names OPENAI_API_KEY with a placeholder.` };
}
