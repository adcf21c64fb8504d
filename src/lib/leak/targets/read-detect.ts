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

function joinAll(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

/** Scans a stream of chunks as one file: WINDOW-sized slices, each with the OVERLAP bytes before it. */
export async function detectChunks(
  key: string,
  chunks: AsyncIterable<Uint8Array>,
  detect: KeyDetector,
  ctx: DetectContext,
): Promise<Finding[]> {
  let carry: Uint8Array = new Uint8Array(0);
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let lineOffset = 0;
  let sliced = false;
  const found: Finding[] = [];
  const seen = new Set<string>();
  const run = async (bytes: Uint8Array) => {
    for (const f of await detect(key, bytes, ctx)) {
      const g = sliced && f.line > 0 ? { ...f, line: f.line + lineOffset } : f;
      const id = `${g.file}\0${g.form}\0${g.line}\0${g.column}`;
      if (!seen.has(id)) {
        seen.add(id);
        found.push(g);
      }
    }
  };
  // Chunks are gathered and joined once per window (joining on every chunk would copy quadratically).
  const flush = async () => {
    const win = joinAll(carry.length ? [carry, ...pending] : pending, carry.length + pendingBytes);
    pending = [];
    pendingBytes = 0;
    await run(win);
    sliced = true;
    const keep = Math.min(OVERLAP, win.length);
    lineOffset += countLines(win, win.length - keep);
    carry = win.slice(win.length - keep);
  };
  for await (const chunk of chunks) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (carry.length + pendingBytes >= WINDOW + OVERLAP) await flush();
  }
  if (pendingBytes || !sliced) {
    const win = joinAll(carry.length ? [carry, ...pending] : pending, carry.length + pendingBytes);
    await run(win);
  }
  return found;
}

export type StreamDetector = (key: string, chunks: AsyncIterable<Uint8Array>, ctx: DetectContext) => Promise<Finding[]>;

/** Scans one file of `fs`, streamed in slices when it is larger than WINDOW and the fs can stream. */
export async function detectFile(
  fs: ReadonlyFs,
  path: string,
  key: string,
  detect: KeyDetector,
  ctx: DetectContext,
  detectStream?: StreamDetector,
): Promise<Finding[]> {
  let size: number;
  try {
    size = (await fs.stat(path)).size;
  } catch (e) {
    // A file that vanished between listing and reading (a build or cache writing) has nothing to leak.
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw e;
  }
  if (size > WINDOW && fs.readChunks) {
    const chunks = fs.readChunks(path, 1 << 20);
    return detectStream ? detectStream(key, chunks, ctx) : detectChunks(key, chunks, detect, ctx);
  }
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
