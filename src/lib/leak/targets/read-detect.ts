// Feeding files and streams to the key finder without holding huge inputs whole: anything up to
// WINDOW bytes is scanned in one piece; larger inputs are scanned in WINDOW-sized slices that
// overlap by OVERLAP bytes, so an encoded key straddling a slice edge is still seen once.
import type { ReadonlyFs } from '../../fs/types.ts';
import type { DetectContext, Finding, KeyDetector } from '../types.ts';

export const WINDOW = 16 * 1024 * 1024;
export const OVERLAP = 256 * 1024;

function countLines(b: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (b[i] === 10) n++;
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Scans a stream of chunks as one file, holding at most about WINDOW + OVERLAP bytes. */
export async function detectChunks(
  key: string,
  chunks: AsyncIterable<Uint8Array>,
  detect: KeyDetector,
  ctx: DetectContext,
): Promise<Finding[]> {
  let buf: Uint8Array = new Uint8Array(0);
  let lineOffset = 0;
  let sliced = false;
  const found: Finding[] = [];
  const seen = new Set<string>();
  const run = async (bytes: Uint8Array) => {
    const fs = await detect(key, bytes, ctx);
    for (const f of fs) {
      const line = sliced && f.line > 0 ? f.line + lineOffset : f.line;
      const g = { ...f, line };
      const id = `${g.file}\0${g.form}\0${g.line}\0${g.column}`;
      if (!seen.has(id)) {
        seen.add(id);
        found.push(g);
      }
    }
  };
  for await (const chunk of chunks) {
    buf = concat(buf, chunk);
    while (buf.length >= WINDOW + OVERLAP) {
      sliced = true;
      const slice = buf.subarray(0, WINDOW + OVERLAP);
      await run(slice);
      lineOffset += countLines(buf, WINDOW);
      buf = buf.slice(WINDOW);
    }
  }
  if (buf.length || !sliced) await run(buf);
  return found;
}

/** Scans one file of `fs`, streamed in slices when it is larger than WINDOW and the fs can stream. */
export async function detectFile(
  fs: ReadonlyFs,
  path: string,
  key: string,
  detect: KeyDetector,
  ctx: DetectContext,
): Promise<Finding[]> {
  const { size } = await fs.stat(path);
  if (size > WINDOW && fs.readChunks) return detectChunks(key, fs.readChunks(path, 1 << 20), detect, ctx);
  return detect(key, await fs.readFile(path), ctx);
}

/** Every file below `dir` (relative to `dir`), in a stable order. Symlinks are not followed. */
export async function listFiles(fs: ReadonlyFs, dir: string, skip?: (rel: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    const entries = await fs.readdir(rel ? (dir ? `${dir}/${rel}` : rel) : dir);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (skip?.(p)) continue;
      if (e.kind === 'dir') await walk(p);
      else if (e.kind === 'file') out.push(p);
    }
  };
  await walk('');
  return out;
}
