// `git` target: every object reachable from any branch or tag — each blob once (attributed to the
// oldest commit and path where it appears), every commit message and annotated-tag message.
// The working tree is never read: ignored or uncommitted files are not in history, so they do not
// count. Objects are read with isomorphic-git (loose and packed objects, packed refs) through an
// adapter over ReadonlyFs, so the same code runs in Node, a worker and WebContainer.
import git, { type FsClient } from 'isomorphic-git';
import type { EntryKind, ReadonlyFs } from '../../fs/types.ts';
import type { AuditOptions, Finding, KeyDetector } from '../types.ts';
import { findKeyInBytes } from '../detect-key.ts';
import { FragmentCollector } from '../fragments.ts';

export class NotAGitRepositoryError extends Error {
  constructor(dir: string) {
    super(
      `"${dir || '.'}" is not a git repository (no .git folder, and it is not a bare repository). ` +
        'Run the audit on the folder that contains .git, or run "git init" and commit first.',
    );
    this.name = 'NotAGitRepositoryError';
  }
}

export interface GitAuditOptions {
  key: string;
  fs: ReadonlyFs;
  /** Folder inside `fs` holding the repository (with a `.git` folder, or a bare repository). */
  dir?: string;
  detect: KeyDetector;
  /** Refs to start from; default every branch, remote branch and tag, plus HEAD. */
  refs?: string[];
}

const enc = new TextEncoder();

function join(a: string, b: string): string {
  if (!a || a === '.') return b;
  return `${a.replace(/\/+$/, '')}/${b}`;
}

function enoent(path: string): Error {
  const e = new Error(`ENOENT: no such file or directory, '${path}'`) as Error & { code: string };
  e.code = 'ENOENT';
  return e;
}

/**
 * The subset of a node:fs-like promise API that isomorphic-git reads through, over ReadonlyFs.
 * The repository does not change during an audit, so folder listings are cached: isomorphic-git
 * probes for a loose object before every packed read, and answering "no such file" from a cached
 * listing instead of the file system makes a history walk several times faster.
 */
export function isoGitFs(fs: ReadonlyFs): FsClient {
  const rel = (p: string) => {
    let r = p.startsWith('/') ? p.replace(/^\/+/, '') : p.startsWith('./') ? p.slice(2) : p;
    if (r.endsWith('/')) r = r.replace(/\/+$/, '');
    return r;
  };
  const listings = new Map<string, Promise<Map<string, EntryKind> | null>>();
  const listing = (dir: string) => {
    let l = listings.get(dir);
    if (!l) {
      l = fs.readdir(dir).then(
        (es) => new Map(es.map((e) => [e.name, e.kind] as [string, EntryKind])),
        () => null,
      );
      listings.set(dir, l);
    }
    return l;
  };
  /** The kind of `r` from its folder's listing; undefined when it does not exist. */
  const kindOf = async (r: string): Promise<EntryKind | undefined> => {
    if (r === '') return 'dir';
    const i = r.lastIndexOf('/');
    return (await listing(i < 0 ? '' : r.slice(0, i)))?.get(i < 0 ? r : r.slice(i + 1));
  };
  const readonly = async () => {
    throw new Error('the git target only reads the repository');
  };
  const stat = async (p: string) => {
    const r = rel(p);
    const kind = await kindOf(r);
    if (!kind) throw enoent(p);
    const size = kind === 'file' ? (await fs.stat(r)).size : 0;
    return {
      type: kind === 'dir' ? 'dir' : 'file',
      mode: kind === 'dir' ? 0o40755 : 0o100644,
      size,
      ino: 0,
      mtimeMs: 0,
      ctimeMs: 0,
      uid: 0,
      gid: 0,
      dev: 0,
      isFile: () => kind === 'file',
      isDirectory: () => kind === 'dir',
      isSymbolicLink: () => kind === 'symlink',
    };
  };
  return {
    promises: {
      async readFile(p: string, opts?: { encoding?: string } | string) {
        const r = rel(p);
        if ((await kindOf(r)) !== 'file') throw enoent(p);
        let bytes: Uint8Array;
        try {
          bytes = await fs.readFile(r);
        } catch {
          throw enoent(p);
        }
        const encoding = typeof opts === 'string' ? opts : opts?.encoding;
        return encoding ? new TextDecoder().decode(bytes) : bytes;
      },
      async readdir(p: string) {
        const l = await listing(rel(p));
        if (!l) throw enoent(p);
        return [...l.keys()];
      },
      stat,
      lstat: stat,
      async readlink(p: string) {
        throw enoent(p);
      },
      writeFile: readonly,
      unlink: readonly,
      mkdir: readonly,
      rmdir: readonly,
      symlink: readonly,
      chmod: readonly,
    },
  } as unknown as FsClient;
}

async function exists(fs: ReadonlyFs, path: string, kind?: 'file' | 'dir'): Promise<boolean> {
  try {
    const s = await fs.stat(path);
    return !kind || s.kind === kind;
  } catch {
    return false;
  }
}

/** Finds the git folder of `dir`: `<dir>/.git` or `dir` itself when bare. Throws NotAGitRepositoryError. */
export async function findGitDir(fs: ReadonlyFs, dir = ''): Promise<string> {
  const dotGit = join(dir, '.git');
  if ((await exists(fs, join(dotGit, 'HEAD'), 'file')) && (await exists(fs, join(dotGit, 'objects'), 'dir'))) return dotGit;
  if ((await exists(fs, join(dir, 'HEAD'), 'file')) && (await exists(fs, join(dir, 'objects'), 'dir'))) return dir;
  if (await exists(fs, dotGit, 'file')) {
    // A worktree or submodule checkout: ".git" is a file that points at the real git folder.
    const pointer = /^gitdir:\s*(.+)$/m.exec(new TextDecoder().decode(await fs.readFile(dotGit)))?.[1]?.trim();
    if (pointer && !pointer.startsWith('/')) {
      const target = join(dir, pointer).split('/').reduce<string[]>((a, seg) => (seg === '..' ? a.slice(0, -1) : seg && seg !== '.' ? [...a, seg] : a), []).join('/');
      if ((await exists(fs, join(target, 'HEAD'), 'file')) && (await exists(fs, join(target, 'objects'), 'dir'))) return target;
    }
    throw new Error(
      `"${dir || '.'}" is a git worktree or submodule checkout whose repository lives at ${pointer ?? 'an unknown place'}: run the audit on that repository (the folder holding its objects).`,
    );
  }
  throw new NotAGitRepositoryError(dir);
}

interface CommitInfo {
  oid: string;
  time: number;
  tree: string;
  message: string;
  parents: string[];
}

/** Ancestors before descendants (post-order), so each blob is attributed to where it first appeared. */
function oldestFirst(commits: Map<string, CommitInfo>): CommitInfo[] {
  const out: CommitInfo[] = [];
  const done = new Set<string>();
  const roots = [...commits.values()].sort((a, b) => a.time - b.time);
  for (const root of roots) {
    const stack: Array<[CommitInfo, number]> = [[root, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [c, i] = top;
      if (done.has(c.oid)) {
        stack.pop();
        continue;
      }
      if (i < c.parents.length) {
        top[1]++;
        const p = commits.get(c.parents[i]);
        if (p && !done.has(p.oid)) stack.push([p, 0]);
      } else {
        done.add(c.oid);
        out.push(c);
        stack.pop();
      }
    }
  }
  return out;
}

/** Audits every reachable object of the repository for the planted key. */
export async function auditGit(opts: GitAuditOptions): Promise<Finding[]> {
  // isomorphic-git uses the global Buffer: present in Node and WebContainer; a browser page or
  // worker must install a polyfill (globalThis.Buffer = Buffer from the "buffer" package) first.
  if (typeof (globalThis as { Buffer?: unknown }).Buffer === 'undefined')
    throw new Error('The git target needs a global Buffer (isomorphic-git): in a browser, set globalThis.Buffer from the "buffer" package first.');
  const gitdir = '/' + (await findGitDir(opts.fs, opts.dir ?? ''));
  const fs = isoGitFs(opts.fs);
  const cache = {};
  const base = { fs, gitdir, cache } as const;
  const findings: Finding[] = [];
  const subjects = new Map<string, string>();
  const emit = async (bytes: Uint8Array, file: string, commit?: string) => {
    const found = await opts.detect(opts.key, bytes, { file, target: 'git', commit });
    for (const f of found) {
      const c = f.commit ?? commit;
      const where = c ? ` It is in commit ${c.slice(0, 10)} ("${(subjects.get(c) ?? '').slice(0, 60)}"), which a branch, tag or other ref still reaches: fixing the file in a new commit does not remove it.` : '';
      findings.push({ ...f, target: 'git', commit: c, message: f.message + where });
    }
  };

  // Start points: every ref (loose or in packed-refs), plus HEAD. Not only branches, remote branches
  // and tags: refs/original/ (git filter-branch's backup of the old history), refs/stash, notes and
  // any backup namespace keep their commits from `git gc` just the same, and `git push --mirror`
  // or a clone of the folder carries them along.
  const starts = new Set<string>();
  const refNames: string[] = opts.refs ?? [];
  if (!opts.refs) {
    let names: string[] = [];
    try {
      names = await git.listRefs({ fs, gitdir, filepath: 'refs' });
    } catch {
      names = [];
    }
    refNames.push(...names.map((n) => `refs/${n}`));
    refNames.push('HEAD');
  }
  for (const ref of refNames) {
    try {
      starts.add(await git.resolveRef({ fs, gitdir, ref }));
    } catch {
      // An unborn HEAD (no commit yet) or a dangling ref has nothing to read.
    }
  }

  // Peel tags (reading annotated-tag messages), collect every commit reachable from them.
  const commits = new Map<string, CommitInfo>();
  const looseTrees: string[] = [];
  const looseBlobs: string[] = [];
  const seenTags = new Set<string>();
  const stack = [...starts];
  while (stack.length) {
    const oid = stack.pop()!;
    if (commits.has(oid) || seenTags.has(oid)) continue;
    let obj;
    try {
      obj = await git.readObject({ ...base, oid, format: 'parsed' });
    } catch (e) {
      // A shallow clone has no parents past its depth: nothing older to read there.
      if ((e as { code?: string }).code === 'NotFoundError') continue;
      throw e;
    }
    if (obj.type === 'tag') {
      seenTags.add(oid);
      const tag = obj.object as { object: string; tag: string; message: string };
      await emit(enc.encode(tag.message), `(message of tag ${tag.tag})`);
      stack.push(tag.object);
    } else if (obj.type === 'commit') {
      const c = obj.object as { tree: string; parent: string[]; message: string; committer: { timestamp: number } };
      commits.set(oid, { oid, time: c.committer.timestamp, tree: c.tree, message: c.message, parents: c.parent });
      stack.push(...c.parent);
    } else if (obj.type === 'tree') {
      looseTrees.push(oid);
    } else if (obj.type === 'blob') {
      looseBlobs.push(oid);
    }
  }

  const ordered = oldestFirst(commits);
  const seenTrees = new Set<string>();
  const seenBlobs = new Set<string>();
  const walkTree = async (treeOid: string, prefix: string, commit?: string) => {
    if (seenTrees.has(treeOid)) return;
    seenTrees.add(treeOid);
    const { tree } = await git.readTree({ ...base, oid: treeOid });
    for (const entry of tree) {
      const path = prefix ? `${prefix}/${entry.path}` : entry.path;
      if (entry.type === 'tree') await walkTree(entry.oid, path, commit);
      else if (entry.type === 'blob' && !seenBlobs.has(entry.oid)) {
        seenBlobs.add(entry.oid);
        const { blob } = await git.readBlob({ ...base, oid: entry.oid });
        await emit(blob, path, commit);
      }
      // 'commit' entries are submodules: their objects live in another repository.
    }
  };
  // Subjects are shown in messages: long tokens are hidden, since a subject may hold (part of) the key.
  for (const c of ordered) subjects.set(c.oid, c.message.split('\n')[0].trim().replace(/\S{16,}/g, '…'));
  for (const c of ordered) {
    await emit(enc.encode(c.message), '(commit message)', c.oid);
    await walkTree(c.tree, '', c.oid);
  }
  for (const t of looseTrees) await walkTree(t, '');
  for (const b of looseBlobs) {
    if (seenBlobs.has(b)) continue;
    seenBlobs.add(b);
    const { blob } = await git.readBlob({ ...base, oid: b });
    await emit(blob, `(tagged blob ${b.slice(0, 12)})`);
  }
  return findings;
}

/** The `git` target for auditKey(): the planted-key finder, with fragments pooled across the whole target. */
export async function gitTarget(options: AuditOptions): Promise<Finding[]> {
  const fragments = new FragmentCollector(options.key);
  const detect: KeyDetector = (key, bytes, ctx) => findKeyInBytes(key, bytes, { ...ctx, decompress: options.decompress, fragments });
  const found = await auditGit({ key: options.key, fs: options.fs, dir: options.dir, detect });
  const pieces = fragments.finding('git');
  if (pieces) found.push(pieces);
  return found;
}
