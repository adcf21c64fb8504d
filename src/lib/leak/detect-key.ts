// Finding one exact, known key in any form: turns the raw scan (forms/scan.ts) into findings with
// file, line, column, form, masked excerpt and a plain-words message; opens containers (gzip,
// brotli, base64 gzip, data: URLs, source maps) and scans what is inside, up to MAX_DEPTH deep.
import type { Decompressors, DetectContext, Finding, Target } from './types.ts';
import { latin1, decodeBase64Run } from './forms/decode.ts';
import { prepareKey, scanBuffer, type PreparedKey } from './forms/scan.ts';
import { maskKey, maskedExcerpt } from './mask.ts';
import { describeForm, FragmentCollector, type LocatedPiece } from './fragments.ts';

const MAX_DEPTH = 4;
/** Source maps larger than this are not parsed to name the original file (the raw hit stays). */
const MAX_MAP_PARSE = 64 * 1024 * 1024;

export interface FindOptions extends DetectContext {
  decompress?: Decompressors;
  /** Collects fragments across files (a whole target); without it, fragments count per call. */
  fragments?: FragmentCollector;
  /**
   * An output buffer the caller owns and lends to whole-file gunzip (decompress.gunzipInto) at the
   * top level: only for callers that scan files one after another, each finished before the next.
   */
  reuse?: { gunzip?: Uint8Array };
}

/** Reused gunzip output stops here; larger outputs get their own buffer. */
const REUSE_MAX = 64 * 1024 * 1024;

interface Located {
  finding: Finding;
  start: number;
  end: number;
}

interface Analysis {
  found: Located[];
  pieces: LocatedPiece[];
}

/**
 * Every form of `key` in `bytes` (one file, or one slice of it). Findings are deduplicated and
 * masked; fragments go to `opts.fragments` when given, else count within these bytes alone.
 */
export async function findKeyInBytes(key: string, bytes: Uint8Array, opts: FindOptions): Promise<Finding[]> {
  const pk = prepareKey(key);
  const a = await analyze(pk, bytes, opts, 0, true);
  return finish(pk, a, opts);
}

export function finish(pk: PreparedKey, a: Analysis, opts: FindOptions): Finding[] {
  const out = a.found.map((l) => l.finding);
  if (opts.fragments) opts.fragments.add(a.pieces);
  else {
    const local = new FragmentCollector(pk.key);
    local.add(a.pieces);
    const f = local.finding(opts.target);
    if (f) out.push(f);
  }
  return out;
}

export async function analyze(pk: PreparedKey, bytes: Uint8Array, opts: FindOptions, depth: number, whole: boolean): Promise<Analysis> {
  // A whole file that is compressed: scan what it decompresses to.
  if (whole && depth < MAX_DEPTH) {
    const inner = await decompressWhole(bytes, opts, depth);
    if (inner) {
      const a = await analyze(pk, inner.bytes, opts, depth + 1, true);
      return wrap(a, inner.form, bytes, 0, 0, opts);
    }
  }
  const raw = scanBuffer(pk, bytes);
  const lines = new LineIndex(bytes);
  // Overlapping hits are one finding (the first found); pieces inside a hit are part of it (a
  // partly escaped key leaves plain runs that are not fragments of their own).
  const hits: typeof raw.hits = [];
  for (const h of raw.hits.sort((x, y) => x.start - y.start)) if (!hits.length || h.start >= hits[hits.length - 1].end) hits.push(h);
  let found: Located[] = hits.map((h) => ({ start: h.start, end: h.end, finding: makeFinding(pk, bytes, lines, h.start, h.end, h.form, opts) }));
  const inHit = (at: number) => hits.some((h) => at >= h.start && at < h.end);
  let pieces: LocatedPiece[] = raw.pieces.filter((p) => !inHit(p.start)).map((p) => {
    const [line, column] = lines.at(p.start);
    return { file: opts.file, line, column, keyStart: p.keyStart, keyEnd: p.keyEnd, commit: opts.commit, layer: opts.layer, at: p.start, to: p.end };
  });
  if (depth < MAX_DEPTH) {
    for (const c of raw.containers) {
      if (found.some((f) => f.start < c.end && f.end > c.start)) continue;
      let inner: Uint8Array | undefined = decodeBase64Run(bytes, c.payload, 256 * 1024 * 1024, opts.decompress?.base64).bytes;
      const form = c.kind === 'data-url' ? (isSourceMapUrl(bytes, c.start) ? 'inline-sourcemap' : 'data-url') : 'base64-gzip';
      if (c.kind === 'base64-gzip') inner = await tryDecompress(opts.decompress?.gunzip, inner);
      if (!inner) continue;
      // A data: URL's payload may itself be compressed (gzip, zlib): analyze it as a whole file.
      const a = await analyze(pk, inner, opts, depth + 1, c.kind === 'data-url');
      const w = wrap(a, form, bytes, c.start, c.end, opts, lines);
      found = found.concat(w.found);
      pieces = pieces.concat(w.pieces);
    }
    if ((found.length || pieces.length) && looksLikeSourceMap(bytes)) {
      const m = await sourceMapFindings(pk, bytes, opts, depth, lines);
      if (m) {
        const innerForms = new Set(m.found.map((l) => l.finding.form.replace(/^sourcemap>/, '')));
        found = found.filter((l) => !innerForms.has(l.finding.form)).concat(m.found);
        if (m.pieces.length) pieces = m.pieces;
      }
    }
  }
  return { found, pieces };
}

/**
 * Findings from inside a container. A whole compressed file keeps the line and column inside what
 * it decompresses to; a container embedded in text (base64 gzip, data: URL) is placed where it
 * starts in the outer text.
 */
function wrap(a: Analysis, form: string, outer: Uint8Array, start: number, end: number, opts: FindOptions, lines?: LineIndex): Analysis {
  const [line, column] = lines ? lines.at(start) : [0, 0];
  const found = a.found.map((l) => {
    const f = l.finding;
    const full = `${form}>${f.form}`;
    const g: Finding = lines
      ? { ...f, line, column, form: full, message: `${where(opts.file, line, column)} as ${describeForm(full)}${f.line > 0 ? ` (line ${f.line} of what it holds)` : ''}.` }
      : { ...f, form: full, message: `The key is in ${opts.file}${f.line > 0 ? ` (once decompressed: line ${f.line}, column ${f.column})` : ''} as ${describeForm(full)}.` };
    return { finding: g, start: lines ? start : l.start, end: lines ? end || outer.length : l.end };
  });
  const pieces = a.pieces.map((p) => (lines ? { ...p, line, column, via: form, at: start, to: end } : { ...p, via: form }));
  return { found, pieces };
}

async function decompressWhole(bytes: Uint8Array, opts: FindOptions, depth: number): Promise<{ bytes: Uint8Array; form: string } | null> {
  const d = opts.decompress;
  if (!d || bytes.length < 3) return null;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 8) {
    // At the top level the output may go to the caller's reused buffer (nothing deeper runs
    // while it is in use: inner containers decompress into buffers of their own).
    const reuse = opts.reuse;
    const size = gzipSize(bytes);
    if (depth === 0 && reuse && d.gunzipInto && size < REUSE_MAX) {
      if (!reuse.gunzip || reuse.gunzip.length <= size) reuse.gunzip = new Uint8Array(Math.min(REUSE_MAX, Math.max(size + 1, 2 * (reuse.gunzip?.length ?? 0))));
      const into = reuse.gunzip;
      const out = await tryDecompress((b) => d.gunzipInto!(b, into), bytes);
      return out ? { bytes: out, form: 'gzip' } : null;
    }
    const out = await tryDecompress(d.gunzip, bytes);
    return out ? { bytes: out, form: 'gzip' } : null;
  }
  if (/\.br$/i.test(opts.file)) {
    const out = await tryDecompress(d.brotli, bytes);
    return out ? { bytes: out, form: 'brotli' } : null;
  }
  // zlib: 0x78 then a check byte; 78 01 / 78 9c / 78 da are never text, others only by name.
  const zlibHeader = bytes[0] === 0x78 && ((bytes[0] << 8) | bytes[1]) % 31 === 0;
  if (zlibHeader && (bytes[1] === 0x01 || bytes[1] === 0x9c || bytes[1] === 0xda || /\.(zz|z|deflate|zlib)$/i.test(opts.file))) {
    const out = await tryDecompress(d.inflate, bytes);
    return out ? { bytes: out, form: 'deflate' } : null;
  }
  return null;
}

/** The uncompressed size a gzip file records in its last 4 bytes (mod 4 GiB; one member). */
function gzipSize(b: Uint8Array): number {
  const n = b.length;
  return n >= 18 ? (b[n - 4] | (b[n - 3] << 8) | (b[n - 2] << 16) | (b[n - 1] << 24)) >>> 0 : 0;
}

async function tryDecompress(f: ((b: Uint8Array) => Uint8Array | Promise<Uint8Array>) | undefined, b: Uint8Array): Promise<Uint8Array | undefined> {
  if (!f) return undefined;
  try {
    return await f(b);
  } catch {
    return undefined;
  }
}

function isSourceMapUrl(bytes: Uint8Array, start: number): boolean {
  return latin1(bytes, Math.max(0, start - 40), start).includes('sourceMappingURL=');
}

function looksLikeSourceMap(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && bytes[i] <= 32) i++;
  if (bytes[i] !== 123 /* { */) return false;
  return latin1(bytes, 0, Math.min(bytes.length, 4096)).includes('"version"') || latin1(bytes, 0, Math.min(bytes.length, 4096)).includes('"sources"');
}

/** Re-scans each embedded source of a source map, so findings name the original file and line. */
async function sourceMapFindings(pk: PreparedKey, bytes: Uint8Array, opts: FindOptions, depth: number, lines: LineIndex): Promise<Analysis | null> {
  if (bytes.length > MAX_MAP_PARSE) return null;
  let map: { sources?: unknown[]; sourcesContent?: unknown[] };
  try {
    map = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  if (!Array.isArray(map.sourcesContent)) return null;
  const enc = new TextEncoder();
  // One buffer for every embedded source, each scanned and done with before the next.
  let scratch = new Uint8Array(0);
  const found: Located[] = [];
  const pieces: LocatedPiece[] = [];
  const [line, column] = lines.at(0);
  for (let i = 0; i < map.sourcesContent.length; i++) {
    const content = map.sourcesContent[i];
    if (typeof content !== 'string') continue;
    const source = typeof map.sources?.[i] === 'string' ? (map.sources[i] as string) : `source #${i + 1}`;
    if (scratch.length < content.length * 3) scratch = new Uint8Array(Math.max(content.length * 3, 2 * scratch.length));
    const { written } = enc.encodeInto(content, scratch);
    const a = await analyze(pk, scratch.subarray(0, written), { ...opts, file: source }, depth + 1, false);
    for (const l of a.found) {
      const f = l.finding;
      found.push({
        start: 0,
        end: 0,
        finding: {
          ...f,
          file: opts.file,
          line,
          column,
          form: `sourcemap>${f.form}`,
          message: `The key is in the source map ${opts.file}, in its copy of ${source} (line ${f.line}, column ${f.column}), as ${describeForm(f.form)}.`,
        },
      });
    }
    for (const p of a.pieces) pieces.push({ ...p, file: opts.file, via: `sourcemap of ${source}, line ${p.line}`, line, column });
  }
  return { found, pieces };
}

function where(file: string, line: number, column: number): string {
  return line > 0 ? `The key is in ${file}, line ${line}, column ${column},` : `The key is in ${file}`;
}

function makeFinding(pk: PreparedKey, bytes: Uint8Array, lines: LineIndex, start: number, end: number, form: string, opts: FindOptions): Finding {
  const [line, column] = lines.at(start);
  const excerpt = maskedExcerpt(latin1(bytes, Math.max(0, start - 16), Math.min(bytes.length, end + 16)), Math.min(16, start), Math.min(16, start) + (end - start));
  const f: Finding = {
    target: opts.target as Target,
    file: opts.file,
    line,
    column,
    form,
    excerpt: excerpt || maskKey(pk.key),
    message: `${where(opts.file, line, column)} as ${describeForm(form)}.`,
  };
  if (opts.commit) f.commit = opts.commit;
  if (opts.layer) f.layer = opts.layer;
  return f;
}

/** Lines are counted a block at a time; the count at each block start is kept for earlier offsets. */
const BLOCK_BITS = 16;
const utf8 = new TextDecoder();

/**
 * Newlines in b[from, to), by native string operations: decoding keeps every newline byte a newline
 * (a broken UTF-8 sequence becomes U+FFFD, never swallowing the newline after it), and split counts
 * them. A loop here, one step per line (a log file with a finding near its end has tens of thousands
 * of lines), ran interpreted, then was compiled twice on the second thread: ~5 ms of a short audit.
 */
function newlinesIn(b: Uint8Array, from: number, to: number): number {
  return from < to ? utf8.decode(b.subarray(from, to)).split('\n').length - 1 : 0;
}

/**
 * 1-based line and column of byte offsets. Lines are counted once, lazily and only as far as the
 * largest offset asked for; an earlier offset (containers and fragments are placed after the hits)
 * counts from the start of its 64 KiB block, never from the start of the file. (Rescanning from
 * the start, or from the line start of a one-line minified file, for each hit was half an audit.)
 */
export class LineIndex {
  private bytes: Uint8Array;
  /** Newlines before `counted`, and where the line holding `counted` starts. */
  private counted = 0;
  private lines = 0;
  private lineStart = 0;
  /** The same at each block start up to `counted`. */
  private blockLines = new Int32Array(16);
  private blockLineStart = new Int32Array(16);
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  at(offset: number): [number, number] {
    const b = this.bytes;
    if (offset >= this.counted) {
      this.countTo(offset);
      return [this.lines + 1, offset - this.lineStart + 1];
    }
    const k = offset >>> BLOCK_BITS;
    const n = newlinesIn(b, k << BLOCK_BITS, offset);
    const lineStart = n > 0 ? b.lastIndexOf(10, offset - 1) + 1 : this.blockLineStart[k];
    return [this.blockLines[k] + n + 1, offset - lineStart + 1];
  }

  private countTo(to: number): void {
    const b = this.bytes;
    while (this.counted < to) {
      const next = Math.min(to, ((this.counted >>> BLOCK_BITS) + 1) << BLOCK_BITS);
      const n = newlinesIn(b, this.counted, next);
      // The nearest newline is inside what was just counted: lastIndexOf stops there.
      if (n > 0) ((this.lines += n), (this.lineStart = b.lastIndexOf(10, next - 1) + 1));
      this.counted = next;
      const k = next >>> BLOCK_BITS;
      if ((next & ((1 << BLOCK_BITS) - 1)) === 0) {
        if (k >= this.blockLines.length) {
          const lines = new Int32Array(2 * k);
          const starts = new Int32Array(2 * k);
          lines.set(this.blockLines);
          starts.set(this.blockLineStart);
          this.blockLines = lines;
          this.blockLineStart = starts;
        }
        this.blockLines[k] = this.lines;
        this.blockLineStart[k] = this.lineStart;
      }
    }
  }
}

export { MIN_FRAGMENT } from './fragments.ts';
