// "A guard stops the key before it is committed", judged by committing for real: install the hooks
// the way a fresh clone does (`npm run prepare`, which husky and `git config core.hooksPath` setups
// both use), stage a file holding the planted key and run `git commit` — it must be refused, with
// the tool saying why; a clean commit must go through; and a key of the real shape (with the marker
// public scanners look for, built here at run time and never stored) must be refused too.
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import { gitUnavailable, hasRepository, sh } from './git.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
function random(n: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  return Array.from(bytes, (b) => ALPHABET[b % 64]).join('');
}

/** A key of today's real shape: prefix, 74 characters, the marker, 74 more (FACTS.md, Git section). */
export function realShapedKey(): string {
  return `sk-proj-${random(74)}${'T3Blbk' + 'FJ'}${random(74)}`;
}

function masker(secrets: string[]) {
  return (text: string) => secrets.reduce((t, s) => t.split(s).join(`${s.slice(0, 8)}****${s.slice(-4)}`), text);
}

interface Attempt {
  refused: boolean;
  output: string;
}

async function tryCommit(ctx: CheckContext, path: string, content: string, message: string): Promise<Attempt | string> {
  const before = await sh(ctx, 'git rev-parse -q --verify HEAD || true');
  await ctx.engine.writeFile(path, content);
  const add = await sh(ctx, `git add -f -- '${path}'`);
  if (add.exitCode !== 0) return `git add failed: ${add.output}`;
  const commit = await sh(ctx, `git commit -m '${message}'`, {}, 120_000);
  const after = await sh(ctx, 'git rev-parse -q --verify HEAD || true');
  const refused = commit.exitCode !== 0 && before.output.trim() === after.output.trim();
  // Leave the repository as it was: a probe commit that went through is undone (the key must not
  // stay in history for the checks after this one), then the probe file is unstaged and deleted.
  const base = before.output.trim();
  if (!refused && commit.exitCode === 0) await sh(ctx, base ? `git reset -q --soft '${base}'` : 'git update-ref -d HEAD');
  await sh(ctx, `git reset -q -- '${path}' 2>/dev/null; rm -f -- '${path}'`);
  return { refused, output: commit.output.trim() };
}

export interface GuardOutcome {
  status: 'pass' | 'fail' | 'skipped' | 'error';
  message: string;
}

export async function guardBlocksKeys(ctx: CheckContext): Promise<GuardOutcome> {
  const missing = await gitUnavailable(ctx);
  if (missing) return missing;
  if (!(await hasRepository(ctx))) {
    const init = await sh(ctx, 'git init -q -b main && git config commit.gpgsign false && git add -A && git commit -q --no-verify -m "The project as it is"');
    if (init.exitCode !== 0) return { status: 'error', message: `Could not make a repository to test the guard in: ${init.output.slice(-600)}` };
  }
  const real = realShapedKey();
  const mask = masker([ctx.key, real]);
  const install = await sh(ctx, 'npm run prepare --if-present', {}, 120_000);
  if (install.exitCode !== 0) {
    return { status: 'fail', message: `Installing the hooks as a fresh clone would (\`npm run prepare\`) failed with exit code ${install.exitCode}:\n${mask(install.output).trimEnd().split('\n').slice(-10).join('\n')}` };
  }
  const planted = await tryCommit(ctx, 'config/openai.js', `export const OPENAI_API_KEY = '${ctx.key}';\n`, 'Add the OpenAI settings');
  if (typeof planted === 'string') return { status: 'error', message: mask(planted) };
  if (!planted.refused) {
    return { status: 'fail', message: 'A commit of config/openai.js holding the course\'s key went through: no hook refused it. Is a pre-commit hook installed by `npm run prepare` (husky, or `git config core.hooksPath …`), executable, and does its rule match this key (sk-proj-… without the marker public rules need)?' };
  }
  if (!planted.output.includes('openai.js')) {
    return { status: 'fail', message: `The commit holding the key was refused, but the message does not say which file: let the scanner print what it found (file and rule), so whoever commits knows what to fix.${planted.output ? ` It said:\n${mask(planted.output).split('\n').slice(0, 6).join('\n')}` : ''}` };
  }
  const clean = await tryCommit(ctx, 'notes/guard-check.md', 'A note with no secret in it.\n', 'Add a note');
  if (typeof clean === 'string') return { status: 'error', message: mask(clean) };
  if (clean.refused) {
    return { status: 'fail', message: `A clean commit (a note with no key) was refused too. A guard that blocks everything gets switched off. Scan the staged files, not the whole folder (.env is there on purpose, ignored by git). What the hook said:\n${mask(clean.output).split('\n').slice(-8).join('\n')}` };
  }
  const shaped = await tryCommit(ctx, 'src/client-config.js', `export const apiKey = "${real}";\n`, 'Add client config');
  if (typeof shaped === 'string') return { status: 'error', message: mask(shaped) };
  if (!shaped.refused) return { status: 'fail', message: 'A commit holding a key of the real OpenAI shape (sk-proj-…, with the marker public scanners know) went through. Keep the stock OpenAI rule on as well as your project rule.' };
  // A guard must look at every staged file, not some folders or file types: the key again, in a
  // note of another folder and extension than the probes above (a hook filtering `*.js` or `src/`
  // refused those and lets this one through).
  const note = await tryCommit(ctx, 'docs/setup.md', `Run it with OPENAI_API_KEY=${ctx.key} in your shell.\n`, 'Add setup notes');
  if (typeof note === 'string') return { status: 'error', message: mask(note) };
  if (!note.refused) return { status: 'fail', message: 'A commit of docs/setup.md holding the course\'s key went through, though the hook refused it in config/openai.js: the hook scans only some of the staged files (a folder, or some file types). Scan every staged file.' };
  return { status: 'pass', message: `The hook refused both keys and let a clean commit through. It said:\n${mask(planted.output).split('\n').slice(0, 6).join('\n')}` };
}
