// `leakproof audit <dir> --key-file <file> --target source|bundle|git|docker|image [--json]`:
// looks for one known (planted) key, in every form, where the target says it would leak.
// Exit 0: no trace of the key. 1: found (a leak). 2: wrong usage or unusable input.
import { createRequire } from 'node:module';
import { auditKey, planProjectAudit } from '../../lib/leak/index.ts';
import { prepareKey } from '../../lib/leak/forms/scan.ts';
import type { Finding, Target } from '../../lib/leak/types.ts';
import { nodeReadonlyFs, nodeDecompressors } from '../../node/fs-node.ts';
import { withoutOptimizingCompiler } from '../../node/one-shot.ts';
import { formatFindings, jsonLine } from '../format.ts';

// Built-ins by require(): an ESM import of node:fs or node:util builds a namespace that loads every
// lazy export (fs streams, util's extras), a cost a short `leakproof audit` run notices.
const nodeRequire = createRequire(import.meta.url);
const { readFileSync, statSync, writeSync } = nodeRequire('node:fs') as typeof import('node:fs');
const { basename, dirname, resolve } = nodeRequire('node:path') as typeof import('node:path');
const { parseArgs } = nodeRequire('node:util') as typeof import('node:util');

export const TARGETS: Target[] = ['source', 'bundle', 'git', 'docker', 'image'];

export const usage = `Usage: leakproof audit <dir> --key-file <file> [--target <target>[,<target>…] | all] [--json]

Looks for one known key (the key a chapter planted) in every form — plain, split, base64, hex,
escaped, reversed, compressed, … — wherever <target> says it would leak:
  source   files git would commit (default)
  bundle   a build output folder (JS, CSS, HTML, source maps, .gz/.br, public/ files)
  git      every commit, commit message and annotated tag reachable from a branch or tag
  docker   Dockerfiles, compose files, and what COPY/ADD would put into the final image
  image    a "docker save" tarball or an OCI image layout folder (<dir> may be the .tar file);
           on a project folder, every image archive in it (.tar, .tar.gz, .tar.zst, OCI layouts)
  all      every target that applies to the project folder, in one report: source; bundle for
           each build folder (dist, build, out, .next, …); git if it is a repository; docker if
           it has a Dockerfile or compose file; image if it holds image archives

Options:
  --key-file <file>  file holding the key: one line with the key, or a .env with OPENAI_API_KEY=…
  --target <t>       one of ${TARGETS.join(', ')}; several separated by commas; or all
  --json             print {"leak": true|false, "findings": [...]} as the last line of stdout

Exit status: 0 no trace of the key, 1 the key leaked, 2 wrong usage or unreadable input.`;

export class UsageError extends Error {}

/** Reads the key from a key file: a bare key on one line, or a .env-style file with OPENAI_API_KEY. */
export function readKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `The key file "${path}" does not exist.` : code === 'EISDIR' ? `The key file "${path}" is a folder, not a file.` : `Cannot read the key file "${path}" (${code ?? (e as Error).message}).`,
    );
  }
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (!lines.length) throw new UsageError(`The key file "${path}" is empty: put the key on its first line (or OPENAI_API_KEY=… in a .env file).`);
  const assign = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
  let key: string | undefined;
  if (lines.length === 1) {
    const m = assign.exec(lines[0]);
    key = m ? m[2] : lines[0];
  } else {
    const named = lines.map((l) => assign.exec(l)).filter((m) => m && /OPENAI_(API|ADMIN)_KEY$/.test(m[1]));
    if (named.length !== 1)
      throw new UsageError(`The key file "${path}" has ${lines.length} lines and ${named.length ? 'several' : 'no'} OPENAI_API_KEY=… line${named.length ? 's' : ''}: give a file with just the key on one line.`);
    key = named[0]![2];
  }
  key = key.replace(/^(['"])(.*)\1$/, '$2').trim();
  if (!key) throw new UsageError(`The key file "${path}" has an empty key.`);
  if (/\s/.test(key) || key.length < 20 || !/^[\x21-\x7e]+$/.test(key))
    throw new UsageError(`The key file "${path}" does not hold a key (expected one line like sk-proj-…, without spaces, at least 20 characters).`);
  return key;
}

export function parseTargets(value: string | undefined): Target[];
export function parseTargets(value: string | undefined, allowAll: true): Target[] | 'all';
export function parseTargets(value: string | undefined, allowAll = false): Target[] | 'all' {
  const list = (value ?? 'source').split(',').map((t) => t.trim()).filter(Boolean);
  if (allowAll && list.includes('all')) {
    if (list.length > 1) throw new UsageError(`--target all already runs every target that applies: give it alone (not with ${list.filter((t) => t !== 'all').join(', ')}).`);
    return 'all';
  }
  for (const t of list) if (!TARGETS.includes(t as Target)) throw new UsageError(`Unknown target "${t}": use one of ${TARGETS.join(', ')}${allowAll ? ', or all' : ''}.`);
  if (!list.length) throw new UsageError(`--target needs a value: one of ${TARGETS.join(', ')}.`);
  return list as Target[];
}

/** Where the input is, as (root folder for the fs, path inside it). An image may be a file. */
export function locate(dir: string, targets: Target[]): { root: string; path: string } {
  const abs = resolve(dir);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new UsageError(`"${dir}" does not exist. Pass the project folder${targets.includes('image') ? ' (or, for --target image, the image tarball)' : ''}.`);
  }
  if (st.isDirectory()) return { root: abs, path: '' };
  if (targets.every((t) => t === 'image')) return { root: dirname(abs), path: basename(abs) };
  throw new UsageError(`"${dir}" is a file, not a folder. Pass the project folder${targets.includes('image') ? '' : ' (only --target image takes a file)'}.`);
}

/** Errors of the input (not of the program): exit 2 with the message. */
export function isInputError(e: unknown): boolean {
  // By name: the target modules (and their error classes) are loaded only when used.
  return e instanceof UsageError || (e instanceof Error && ['NotAGitRepositoryError', 'ImageFormatError', 'NoImageFoundError'].includes(e.name)) || (e instanceof Error && /^(The key|Unknown target|Cannot read)/.test(e.message));
}

/**
 * One line to stdout, written straight to file descriptor 1: process.stdout on a pipe builds a
 * socket stream (loading the net and stream modules), a cost a short run notices.
 */
export function print(text: string): void {
  const data = Buffer.from(text + '\n');
  let off = 0;
  try {
    while (off < data.length) off += writeSync(1, data, off);
  } catch {
    // A non-blocking stdout that is full (EAGAIN), or anything unusual: let the stream finish it.
    process.stdout.write(data.subarray(off));
  }
}

export function fail(message: string, json: boolean): number {
  console.error(`leakproof: ${message}`);
  if (json) console.log(JSON.stringify({ error: message }));
  return 2;
}

export async function run(args: string[]): Promise<number> {
  let values: { 'key-file'?: string; target?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'key-file': { type: 'string' }, target: { type: 'string', short: 't' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    return fail(`${(e as Error).message}\n\n${usage}`, args.includes('--json'));
  }
  const json = !!values.json;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  try {
    if (positionals.length !== 1) throw new UsageError(`${positionals.length ? 'Give one folder' : 'Missing the folder to audit'}.\n\n${usage}`);
    if (!values['key-file']) throw new UsageError(`Missing --key-file <file>: the file that holds the planted key.\n\n${usage}`);
    const parsed = parseTargets(values.target, true);
    const key = readKeyFile(values['key-file']);
    const { root, path } = locate(positionals[0], parsed === 'all' ? ['source'] : parsed);
    // The key's tables, built once: without the optimizing compiler (node/one-shot.ts).
    withoutOptimizingCompiler(() => prepareKey(key));
    const fs = nodeReadonlyFs(root);
    // --target all: what applies to this folder, found in one walk (lib/leak/targets/project.ts).
    const plan = parsed === 'all' ? (await planProjectAudit(fs, path)).plan : parsed.map((target) => ({ target, dir: path }));
    const findings: Finding[] = [];
    for (const { target, dir } of plan) {
      const report = await auditKey({ key, target, fs, dir, decompress: nodeDecompressors });
      findings.push(...report.findings);
    }
    const ran = plan.map((p) => (p.target === 'bundle' && parsed === 'all' ? `bundle ${p.dir}` : p.target)).join(', ');
    if (json) print(jsonLine(findings, parsed === 'all' ? plan : undefined));
    else if (findings.length) print(formatFindings(findings, `The key leaked (${ran} of ${positionals[0]})`));
    else print(`No trace of the key in ${positionals[0]} (${ran}): every form was checked.`);
    return findings.length ? 1 : 0;
  } catch (e) {
    if (isInputError(e)) {
      // The core sees the folder as the root of its file system ("."): name the folder the user gave.
      const message = (e as Error).message.replace(/^"\."/, JSON.stringify(positionals[0]));
      return fail(message, json);
    }
    // Never let a crash look like a leak (exit 1): report it as unusable input, with the detail.
    if (process.env.LEAKPROOF_DEBUG) console.error(e);
    return fail(`could not finish: ${(e as Error).message ?? e} (set LEAKPROOF_DEBUG=1 for details)`, json);
  }
}
