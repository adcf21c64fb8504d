// Scanning inputs too large to hold whole (a 1 GB log, a huge layer): the chunks are gathered into
// windows of WINDOW bytes; each window is scanned together with the last OVERLAP bytes of the one
// before, so a form that straddles two windows is still seen whole, and reported once. Memory stays
// about WINDOW + OVERLAP whatever the input's size. A gzip/brotli stream is decompressed as it goes
// when the caller passes streaming decompressors.
import type { Finding } from './types.ts';
import { analyze, finish, type FindOptions } from './detect-key.ts';
import { prepareKey } from './forms/scan.ts';
import { describeForm } from './fragments.ts';

export const WINDOW = 8 * 1024 * 1024;
export const OVERLAP = 64 * 1024;

/** Every form of `key` in a stream of chunks (one file). Same findings as findKeyInBytes. */
export async function findKeyInStream(
  key: string,
  chunks: AsyncIterable<Uint8Array>,
  opts: FindOptions,
  sizes: { window?: number; overlap?: number } = {},
): Promise<Finding[]> {
  const pk = prepareKey(key);
  const WINDOW_SIZE = sizes.window ?? WINDOW;
  const OVERLAP_SIZE = Math.max(sizes.overlap ?? OVERLAP, 32 * key.length);
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return [];
  let source: AsyncIterable<Uint8Array> = prepend(first.value, it);
  let via = '';
  const d = opts.decompress;
  const head = first.value;
  if (head[0] === 0x1f && head[1] === 0x8b && d?.gunzipStream) ((source = d.gunzipStream(source)), (via = 'gzip'));
  else if (/\.br$/i.test(opts.file) && d?.brotliStream) ((source = d.brotliStream(source)), (via = 'brotli'));

  const found: Finding[] = [];
  const seen = new Set<string>();
  const pieces: Parameters<typeof finish>[1]['pieces'] = [];
  let carry: Uint8Array = new Uint8Array(0);
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let carryStart = 0; // absolute offset of carry[0]
  let carryLine = 0; // newlines before carry[0]
  let whole = true;

  const flush = async (final: boolean) => {
    const win = new Uint8Array(carry.length + pendingBytes);
    win.set(carry, 0);
    let o = carry.length;
    for (const c of pending) (win.set(c, o), (o += c.length));
    pending = [];
    pendingBytes = 0;
    // Only a window that is the whole input may be a compressed file as a whole.
    const a = await analyze(pk, win, { ...opts, fragments: undefined }, via ? 1 : 0, final && whole);
    for (const l of a.found) {
      const id = `${carryStart + l.start}|${l.finding.form}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const f = l.finding;
      found.push(carryLine && f.line > 0 ? { ...f, line: f.line + carryLine, message: f.message.replace(/line \d+/, `line ${f.line + carryLine}`) } : f);
    }
    for (const p of a.pieces) {
      // A piece touching a window edge may be cut short there: the window that holds it whole
      // (the overlap guarantees one does) reports it.
      if (!final && p.to !== undefined && p.to >= win.length) continue;
      if (carry.length && p.at === 0) continue;
      pieces.push(carryLine && p.line > 0 ? { ...p, line: p.line + carryLine } : p);
    }
    if (!final) {
      whole = false;
      const keep = Math.min(OVERLAP_SIZE, win.length);
      const drop = win.length - keep;
      let n = 0;
      for (let i = win.indexOf(10); i >= 0 && i < drop; i = win.indexOf(10, i + 1)) n++;
      carryLine += n;
      carryStart += drop;
      carry = win.slice(drop);
    }
  };
  for await (const chunk of source) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= WINDOW_SIZE) await flush(false);
  }
  await flush(true);
  const out = finish(pk, { found: [], pieces: dedupePieces(pieces) }, opts);
  const all = found.concat(out);
  if (!via) return all;
  return all.map((f) => {
    if (f.form === 'fragments') return f;
    const form = `${via}>${f.form}`;
    const at = f.line > 0 ? ` (once decompressed: line ${f.line}, column ${f.column})` : '';
    return { ...f, form, message: `The key is in ${opts.file}${at} as ${describeForm(form)}.` };
  });
}

function dedupePieces<T extends { file: string; line: number; column: number; keyStart: number; keyEnd: number }>(ps: T[]): T[] {
  const m = new Map<string, T>();
  for (const p of ps) {
    const id = `${p.file}|${p.keyStart}|${p.keyEnd}|${p.line}`;
    if (!m.has(id)) m.set(id, p);
  }
  return [...m.values()];
}

async function* prepend(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  yield first;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}
