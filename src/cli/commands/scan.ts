// `leakproof scan <dir> [--target …] [--json]`: looks for real-looking OpenAI keys (any shape:
// sk-proj-, sk-svcacct-, sk-admin-, legacy sk-), plain or encoded, in the files git would commit and
// in git history (when <dir> is a repository). Exit 0: none, 1: found, 2: wrong usage or input.
import { parseArgs } from 'node:util';
import { scanProject } from '../../lib/leak/index.ts';
import type { Target } from '../../lib/leak/types.ts';
import { nodeReadonlyFs, nodeDecompressors } from '../../node/fs-node.ts';
import { formatFindings, jsonLine } from '../format.ts';
import { TARGETS, UsageError, parseTargets, locate, isInputError, fail } from './audit.ts';

export const usage = `Usage: leakproof scan <dir> [--target <target>[,<target>…]] [--json]

Looks for real-looking OpenAI API keys (project sk-proj-…, service-account sk-svcacct-…, Admin
sk-admin-…, legacy sk-…), also base64, hex, escaped, reversed or compressed. Placeholders, masked
or truncated keys and other vendors' sk- keys are not reported.

Options:
  --target <t>  where to look: ${TARGETS.join(', ')} (several separated by commas);
                default: source, plus git when <dir> is a git repository
  --json        print {"leak": true|false, "findings": [...]} as the last line of stdout

Exit status: 0 nothing found, 1 keys found, 2 wrong usage or unreadable input.`;

export async function run(args: string[]): Promise<number> {
  let values: { target?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { target: { type: 'string', short: 't' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
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
    if (positionals.length !== 1) throw new UsageError(`${positionals.length ? 'Give one folder' : 'Missing the folder to scan'}.\n\n${usage}`);
    const targets: Target[] | undefined = values.target ? parseTargets(values.target) : undefined;
    const { root, path } = locate(positionals[0], targets ?? ['source']);
    const findings = await scanProject({ fs: nodeReadonlyFs(root), dir: path, targets, decompress: nodeDecompressors });
    if (json) console.log(jsonLine(findings));
    else if (findings.length) console.log(formatFindings(findings, `OpenAI keys found in ${positionals[0]}`));
    else console.log(`No OpenAI keys found in ${positionals[0]} (${(targets ?? ['source', 'git (if a repository)']).join(', ')}).`);
    return findings.length ? 1 : 0;
  } catch (e) {
    if (isInputError(e)) return fail((e as Error).message, json);
    // Never let a crash look like a leak (exit 1): report it as unusable input, with the detail.
    if (process.env.LEAKPROOF_DEBUG) console.error(e);
    return fail(`could not finish: ${(e as Error).message ?? e} (set LEAKPROOF_DEBUG=1 for details)`, json);
  }
}
