// Scanning a list of files of one target: small files are read whole, large ones streamed; the next
// file is read while the current one is scanned; fragments are pooled across all the files, since a
// key split over two chunks leaks as much as a key in one.
import type { ReadonlyFs } from '../../fs/types.ts';
import type { Decompressors, Finding, SharedReadFs, Target } from '../types.ts';
import { findKeyInBytes } from '../detect-key.ts';
import { findKeyInStream } from '../stream.ts';
import { FragmentCollector } from '../fragments.ts';

/** Files up to this size are read whole; larger ones are streamed when the fs can. */
export const READ_WHOLE_MAX = 32 * 1024 * 1024;
/** Compressed files inflate (often 5-20×, bombs far more): stream them from this size. */
export const COMPRESSED_WHOLE_MAX = 4 * 1024 * 1024;
const COMPRESSED = /\.(gz|tgz|br|zz|z|deflate|zlib)$/i;

export const joinPath = (dir: string, rel: string) => (dir && dir !== '.' ? `${dir.replace(/\/+$/, '')}/${rel}` : rel);

export async function scanFiles(
  fs: ReadonlyFs,
  paths: string[],
  key: string,
  target: Target,
  decompress?: Decompressors,
): Promise<Finding[]> {
  const fragments = new FragmentCollector(key);
  const findings: Finding[] = [];
  const shared = (fs as ReadonlyFs & SharedReadFs).readWholeShared;
  if (shared) {
    // Synchronous reads into one reused buffer: from the page cache a read is a copy, cheaper
    // than the promise round trips, fresh buffers and garbage of async whole-file reads. Files
    // are done one after another, so .gz files may also share one output buffer.
    const reuse = {};
    for (const path of paths) {
      const bytes = shared.call(fs, path, COMPRESSED.test(path) ? COMPRESSED_WHOLE_MAX : READ_WHOLE_MAX);
      const opts = { file: path, target, decompress, fragments, reuse };
      const found = bytes ? await findKeyInBytes(key, bytes, opts) : await findKeyInStream(key, fs.readChunks!(path), opts);
      for (const f of found) findings.push(f);
    }
    const f = fragments.finding(target);
    if (f) findings.push(f);
    return findings;
  }
  const load = async (path: string): Promise<Uint8Array | null> => {
    if (fs.readChunks) {
      const { size } = await fs.stat(path);
      if (size > (COMPRESSED.test(path) ? COMPRESSED_WHOLE_MAX : READ_WHOLE_MAX)) return null;
    }
    return fs.readFile(path);
  };
  let next = paths.length ? load(paths[0]) : null;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i];
    const bytes = await (next as Promise<Uint8Array | null>);
    next = i + 1 < paths.length ? load(paths[i + 1]) : null;
    next?.catch(() => {}); // reported when awaited
    const opts = { file: path, target, decompress, fragments };
    const found = bytes ? await findKeyInBytes(key, bytes, opts) : await findKeyInStream(key, fs.readChunks!(path), opts);
    for (const f of found) findings.push(f);
  }
  const f = fragments.finding(target);
  if (f) findings.push(f);
  return findings;
}

/** Every file below `dir` (paths include `dir`), sorted; `skip` prunes entries; symlinks are never followed. */
export async function walkFiles(fs: ReadonlyFs, dir: string, skip?: (path: string, isDir: boolean) => boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await fs.readdir(d);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = joinPath(d, e.name);
      if (e.kind === 'symlink') continue;
      if (skip?.(p, e.kind === 'dir')) continue;
      if (e.kind === 'dir') await walk(p);
      else out.push(p);
    }
  };
  await walk(dir || '');
  return out;
}
