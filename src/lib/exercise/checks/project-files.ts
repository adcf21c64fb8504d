// The project's own files, git-ignored ones too: a key moved into an ignored src/secret.js is no
// longer committed, but the program still carries it (a zip of the folder, a Docker build context,
// a deploy that uploads the folder, the next `git add -f`). Only the key's home is exempt: an
// ignored .env-style file, which is where a key belongs on a developer's machine.
import ignore from 'ignore';
import type { ReadonlyFs } from '../../fs/types.ts';
import { isGitIgnored } from './git-ignored.ts';

/** `.env`, `.env.local`, `.env.production` …, but not an example, sample or template. */
export const DEFAULT_KEY_HOMES = ['.env', '.env.*', '!*example*', '!*sample*', '!*template*'];

/** Installed packages and git's own database are not the project's code (the git target reads history). */
const NOT_PROJECT = /^(node_modules|\.git)$/;
/** With these hidden, the leak core's `source` target reads every file instead of the committed ones. */
const IGNORE_RULES = /(^|\/)\.gitignore$|^\.git(\/|$)/;

export function keyHomeMatcher(patterns: string[] = DEFAULT_KEY_HOMES): (path: string) => boolean {
  const ig = ignore().add(patterns);
  return (path) => ig.ignores(path);
}

const enoent = (path: string) => Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });

/**
 * A view of the project for the leak core: every file, git-ignored or not, except node_modules/,
 * .git/, the .gitignore files themselves (so nothing is skipped as ignored) and the key homes git
 * ignores. `isKeyHome` is decided on the real project (with its .gitignore files).
 */
export async function wholeProjectFs(fs: ReadonlyFs, keyHomes?: string[]): Promise<{ fs: ReadonlyFs; ignored: (path: string) => Promise<boolean> }> {
  const isHome = keyHomeMatcher(keyHomes);
  const hidden = new Map<string, Promise<boolean>>();
  const ignored = (path: string) => isGitIgnored(fs, path);
  const isHidden = (path: string): Promise<boolean> => {
    const p = path === '.' ? '' : path.replace(/^\.\//, '').replace(/\/+$/, '');
    let h = hidden.get(p);
    if (!h) {
      const top = p.split('/')[0] ?? '';
      h = NOT_PROJECT.test(top) || IGNORE_RULES.test(p) ? Promise.resolve(true) : isHome(p) ? ignored(p) : Promise.resolve(false);
      hidden.set(p, h);
    }
    return h;
  };
  const view: ReadonlyFs = {
    async readdir(path) {
      const entries = await fs.readdir(path);
      const base = path === '.' ? '' : path.replace(/^\.\//, '').replace(/\/+$/, '');
      const keep = await Promise.all(entries.map(async (e) => e.kind !== 'symlink' && !(await isHidden(base ? `${base}/${e.name}` : e.name))));
      return entries.filter((_, i) => keep[i]);
    },
    async readFile(path) {
      if (await isHidden(path)) throw enoent(path);
      return fs.readFile(path);
    },
    async stat(path) {
      if (path && path !== '.' && (await isHidden(path))) throw enoent(path);
      return fs.stat(path);
    },
  };
  if (fs.readChunks) view.readChunks = (path, size) => fs.readChunks!(path, size);
  return { fs: view, ignored };
}
