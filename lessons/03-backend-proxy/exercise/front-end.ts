// File-only checks for chapter 3 (they need no runtime, so they also work in the in-browser engine):
// which files are front-end code, and what their variables and calls say.
import type { FileMap } from '../../../src/lib/fs/types.ts';
import type { Evidence } from '../../../src/lib/exercise/results.ts';
import { leakCore } from '../../../src/lib/exercise/leak.ts';

type Verdict = { status: 'pass' | 'fail'; message: string; evidence?: Evidence[] };

const SKIP = /^(node_modules|dist)\//;
const enc = new TextEncoder();

/** Code that ends up in the browser: index.html, everything under src/ and public/. */
export function frontEndFiles(files: FileMap): Array<[string, string]> {
  return Object.entries(files).filter(([path]) => !SKIP.test(path) && (path === 'index.html' || /^(src|public)\//.test(path)));
}

/** Every `.env*` file (ignored or not: Vite reads them all) and the variables in it named VITE_*. */
function viteVariables(files: FileMap): Array<{ file: string; line: number; name: string; value: string }> {
  const out: Array<{ file: string; line: number; name: string; value: string }> = [];
  for (const [path, text] of Object.entries(files)) {
    if (SKIP.test(path) || !/(^|\/)\.env(\.[^/]*)?$/.test(path)) continue;
    text.split(/\r?\n/).forEach((raw, i) => {
      const m = /^\s*(?:export\s+)?(VITE_[A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(raw);
      if (m) out.push({ file: path, line: i + 1, name: m[1]!, value: m[2]! });
    });
  }
  return out;
}

export async function noViteVariableHoldsKey(files: FileMap, key: string): Promise<Verdict> {
  const { findKeyInBytes } = await leakCore();
  const evidence: Evidence[] = [];
  let first = '';
  for (const v of viteVariables(files)) {
    const found = await findKeyInBytes(key, enc.encode(v.value), { file: v.file, target: 'source' });
    if (found.length === 0) continue;
    first ||= `${v.file} line ${v.line} puts the key in ${v.name}`;
    evidence.push({ file: v.file, line: v.line, form: found[0]!.form, excerpt: `${v.name}=…` });
  }
  if (evidence.length > 0) {
    return {
      status: 'fail',
      message: `${first}. Vite writes every VITE_ variable it uses into the page, where anyone can read it.`,
      evidence,
    };
  }
  return { status: 'pass', message: 'No VITE_ variable holds the key.' };
}

export function noBrowserSdk(files: FileMap): Verdict {
  for (const [path, text] of frontEndFiles(files)) {
    const i = text.search(/dangerouslyAllowBrowser\s*:\s*true/);
    if (i >= 0) {
      const line = text.slice(0, i).split('\n').length;
      return {
        status: 'fail',
        message: `${path} line ${line} still sets dangerouslyAllowBrowser: the page calls OpenAI itself, so it needs the key.`,
        evidence: [{ file: path, line }],
      };
    }
  }
  return { status: 'pass', message: 'The page no longer calls OpenAI directly.' };
}

export function callsProxyRoute(files: FileMap): Verdict {
  const callers = frontEndFiles(files).filter(([, text]) => /["'`]\/api\/chat["'`?]/.test(text));
  if (callers.length === 0) {
    return { status: 'fail', message: 'No file under src/ sends the question to `/api/chat` yet.' };
  }
  return { status: 'pass', message: `${callers[0]![0]} asks /api/chat.` };
}

export function devProxyConfigured(files: FileMap): Verdict {
  const config = Object.keys(files).find((p) => /^vite\.config\.(js|mjs|ts|mts)$/.test(p));
  if (!config) return { status: 'fail', message: 'There is no vite.config.js.' };
  const text = files[config]!;
  if (/\bproxy\s*:/.test(text) && /["'`]\/api/.test(text)) return { status: 'pass', message: `${config} proxies /api in development.` };
  return { status: 'fail', message: `${config} has no \`server.proxy\` entry for /api, so \`npm run dev\` cannot reach the server.`, evidence: [{ file: config }] };
}
