// `image` target: a `docker save` tarball (legacy layout: manifest.json + <id>/layer.tar +
// <config>.json, or OCI layout: index.json + blobs/sha256/…), or an OCI layout / extracted
// docker-save folder. Every layer is read whole — also files a later layer deletes with a whiteout,
// because the earlier layer still ships them — and so is the image config (`Env`, `Cmd`,
// `Entrypoint`, `Labels`, `history[].created_by`).
// The outer tarball is streamed once (modern-tar: zero dependencies, Web Streams, works in Node,
// workers and browsers). Layers are recognised by their magic bytes as they pass (plain tar, gzip via
// the standard DecompressionStream, zstd via fzstd), and named once the manifest has been read, since
// `docker save` may write manifest.json after the layers.
import { createTarDecoder } from 'modern-tar';
import { Decompress as ZstdDecompress } from 'fzstd';
import type { ReadonlyFs } from '../../fs/types.ts';
import type { AuditOptions, Finding, KeyDetector } from '../types.ts';
import { findKeyInBytes } from '../detect-key.ts';
import { findKeyInStream } from '../stream.ts';
import { FragmentCollector } from '../fragments.ts';
import { detectChunks, listFiles, type StreamDetector } from './read-detect.ts';

export class ImageFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFormatError';
  }
}

export interface ImageAuditOptions {
  key: string;
  fs: ReadonlyFs;
  /** The tarball file or the layout folder, relative to `fs`. */
  path: string;
  detect: KeyDetector;
  /** For layer files and blobs (default: detectChunks over `detect`). */
  detectStream?: StreamDetector;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
/** Outer entries up to this size that start with "{" or "[" are kept as JSON (manifests, configs). */
const JSON_MAX = 8 * 1024 * 1024;

// ---------- stream helpers (no for-await over ReadableStream: Safari lacks it) ----------

function toStream(it: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iter = it[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(c) {
      const r = await iter.next();
      if (r.done) c.close();
      else c.enqueue(r.value);
    },
    async cancel() {
      await iter.return?.();
    },
  });
}

async function* iterate<T>(s: ReadableStream<T>): AsyncGenerator<T> {
  const reader = s.getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Reads the first `n` bytes (or fewer at the end) and gives back a stream that still yields them. */
async function peek(s: ReadableStream<Uint8Array>, n: number): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array> }> {
  const reader = s.getReader();
  const parts: Uint8Array[] = [];
  let have = 0;
  let done = false;
  while (have < n) {
    const r = await reader.read();
    if (r.done) {
      done = true;
      break;
    }
    parts.push(r.value);
    have += r.value.length;
  }
  const head = new Uint8Array(have);
  let o = 0;
  for (const p of parts) (head.set(p, o), (o += p.length));
  let sent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (!sent) {
        sent = true;
        if (head.length) return c.enqueue(head);
      }
      if (done) return c.close();
      const r = await reader.read();
      if (r.done) c.close();
      else c.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { head, stream };
}

async function drain(s: ReadableStream<Uint8Array>): Promise<void> {
  for await (const _ of iterate(s)) void _;
}

async function readAll(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const p of iterate(s)) (parts.push(p), (n += p.length));
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

function zstdStream(): TransformStream<Uint8Array, Uint8Array> {
  let z: ZstdDecompress;
  return new TransformStream({
    start(c) {
      z = new ZstdDecompress((data) => c.enqueue(data));
    },
    transform(chunk) {
      z.push(chunk);
    },
    flush() {
      z.push(new Uint8Array(0), true);
    },
  });
}

export type Compression = 'tar' | 'gzip' | 'zstd' | 'unknown';

export function sniff(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (head.length >= 262 && dec.decode(head.subarray(257, 262)) === 'ustar') return 'tar';
  // An empty tar is only its end marker, zero blocks: Docker's empty layer (sha256:5f70bf18…, made by a
  // COPY that copies nothing or a WORKDIR) is 1024 zero bytes.
  if (head.length >= 512 && head.length % 512 === 0 && head.every((b) => b === 0)) return 'tar';
  return 'unknown';
}

function decompressed(kind: Compression, s: ReadableStream<Uint8Array>, what: string): ReadableStream<Uint8Array> {
  if (kind === 'gzip') {
    if (typeof DecompressionStream === 'undefined') throw new ImageFormatError(`${what} is gzip-compressed and this runtime has no DecompressionStream.`);
    return s.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  }
  if (kind === 'zstd') return s.pipeThrough(zstdStream());
  return s;
}

// ---------- the scan ----------

interface Blob {
  /** Where the bytes live: tar entry name or layout-relative path. */
  name: string;
  findings: Finding[];
  /** Set when the bytes were neither tar nor gzip/zstd (scanned as they are). */
  unknown?: boolean;
}

/** Normalises "blobs/sha256/abc", "./blobs/sha256/abc", "sha256:abc" to "sha256:abc"; others stay. */
function blobId(name: string): string {
  const m = /(?:^|\/)blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(name.replace(/^\.\//, ''));
  return m ? `${m[1]}:${m[2]}` : name.replace(/^\.\//, '');
}

class ImageScan {
  jsons = new Map<string, unknown>();
  rawJson = new Map<string, Uint8Array>();
  blobs = new Map<string, Blob>();
  links = new Map<string, string>();

  link(name: string, target: string, relative: boolean): void {
    const from = name.replace(/^\.\//, '');
    const base = relative && from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
    const parts: string[] = [];
    for (const seg of (base + target).split('/')) {
      if (seg === '..') parts.pop();
      else if (seg && seg !== '.') parts.push(seg);
    }
    this.links.set(blobId(from), blobId(parts.join('/')));
  }

  private resolve(id: string): string {
    for (let i = 0; i < 8 && this.links.has(id); i++) id = this.links.get(id)!;
    return id;
  }
  private key: string;
  private detect: KeyDetector;
  private stream: StreamDetector;
  constructor(key: string, detect: KeyDetector, detectStream?: StreamDetector) {
    this.key = key;
    this.detect = detect;
    this.stream = detectStream ?? ((k, chunks, ctx) => detectChunks(k, chunks, detect, ctx));
  }

  /** One outer entry: keep JSON, scan a layer, or scan unknown bytes as they are. */
  async entry(name: string, size: number, body: ReadableStream<Uint8Array>): Promise<void> {
    const id = blobId(name);
    const { head, stream } = await peek(body, 512);
    const first = head.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
    if (size <= JSON_MAX && (first === 0x7b || first === 0x5b)) {
      const bytes = await readAll(stream);
      try {
        this.jsons.set(id, JSON.parse(dec.decode(bytes)));
        this.rawJson.set(id, bytes);
        return;
      } catch {
        // Not JSON after all: scan it as plain bytes below.
        const findings = await this.detect(this.key, bytes, { file: name, target: 'image' });
        this.blobs.set(id, { name, findings });
        return;
      }
    }
    const kind = sniff(head);
    if (kind === 'unknown') {
      if (name.endsWith('layer.tar') || /\.tar(\.gz|\.zst)?$/.test(name))
        throw new ImageFormatError(`${name} is neither a tar archive nor gzip/zstd data: unsupported layer compression or a corrupt file.`);
      const findings = await this.stream(this.key, iterate(stream), { file: name, target: 'image' });
      this.blobs.set(id, { name, findings, unknown: true });
      return;
    }
    const findings = await this.layer(id, decompressed(kind, stream, name));
    this.blobs.set(id, { name, findings });
  }

  /** Every file of one layer tar, whiteouts included (they have no content; earlier layers keep it). */
  async layer(id: string, s: ReadableStream<Uint8Array>): Promise<Finding[]> {
    const out: Finding[] = [];
    try {
      for await (const e of iterate(s.pipeThrough(createTarDecoder({ strict: true })))) {
        if (e.header.type !== 'file' && e.header.type !== undefined) {
          await drain(e.body);
          continue;
        }
        const file = e.header.name.replace(/^\.\//, '');
        const found = await this.stream(this.key, iterate(e.body), { file, target: 'image', layer: id });
        for (const f of found) out.push({ ...f, target: 'image', layer: id });
      }
    } catch (err) {
      if (err instanceof ImageFormatError) throw err;
      throw new ImageFormatError(`layer ${id} is corrupt or truncated (${(err as Error).message}).`);
    }
    return out;
  }

  /** Reads manifests and configs, names layers, and scans the config fields. */
  async finish(source: string): Promise<Finding[]> {
    const images = this.images(source);
    const findings: Finding[] = [];
    const layerIds = new Set<string>();
    const configIds = new Set<string>();
    for (const img of images) {
      img.config = this.resolve(img.config);
      const config = this.jsons.get(img.config) as ImageConfig | undefined;
      if (!config) throw new ImageFormatError(`${source}: the manifest names the config ${img.config}, which is not in the image.`);
      configIds.add(img.config);
      const made = (config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by ?? '');
      img.layers.forEach((named, i) => {
        const l = this.resolve(named);
        const blob = this.blobs.get(l);
        // Attestation manifests (buildx SBOM/provenance) list JSON documents as layers: scanned as JSON below.
        if (!blob && this.jsons.has(l)) return;
        if (!blob) throw new ImageFormatError(`${source}: the manifest lists layer ${named}, which is not in the image (an incomplete save?).`);
        if (blob.unknown)
          throw new ImageFormatError(`${source}: layer ${named} is neither a tar archive nor gzip/zstd data: unsupported layer compression (e.g. xz or bzip2) or a corrupt file.`);
        if (layerIds.has(l)) return;
        layerIds.add(l);
        const by = made[i] ? `, made by \`${made[i].replace(/^\/bin\/sh -c (#\(nop\) )?/, '').trim().slice(0, 80)}\`` : '';
        for (const f of blob.findings)
          findings.push({
            ...f,
            layer: l,
            message: `${f.message} It is in layer ${i + 1} of ${img.layers.length}${by}. A layer keeps its files even when a later step deletes them: rebuild without the file (.dockerignore, secret mounts).`,
          });
      });
      findings.push(...(await this.config(img.config, config)));
    }
    // Whatever the manifests did not explain (stray blobs, other JSON) is scanned as it is.
    for (const [id, blob] of this.blobs) if (!layerIds.has(id)) findings.push(...blob.findings);
    for (const [id, bytes] of this.rawJson) {
      // Legacy "<layer id>/json" files repeat the config, which was scanned field by field above.
      if (configIds.has(id) || (configIds.size && /^[a-f0-9]{64}\/json$/.test(id))) continue;
      findings.push(...(await this.detect(this.key, bytes, { file: id, target: 'image' })));
    }
    return findings;
  }

  images(source: string): Array<{ config: string; layers: string[] }> {
    const manifest = this.jsons.get('manifest.json') as Array<{ Config: string; Layers: string[] }> | undefined;
    if (Array.isArray(manifest)) return manifest.map((m) => ({ config: blobId(m.Config), layers: (m.Layers ?? []).map(blobId) }));
    const index = this.jsons.get('index.json') as OciIndex | undefined;
    if (index && Array.isArray(index.manifests)) {
      const out: Array<{ config: string; layers: string[] }> = [];
      const visit = (desc: { digest: string }, depth: number) => {
        const m = this.jsons.get(desc.digest) as (OciIndex & OciManifest) | undefined;
        if (!m || depth > 4) throw new ImageFormatError(`${source}: index.json names ${desc.digest}, which is not in the layout.`);
        if (Array.isArray(m.manifests)) for (const d of m.manifests) visit(d, depth + 1);
        else if (m.config) out.push({ config: m.config.digest, layers: (m.layers ?? []).map((l) => l.digest) });
      };
      for (const d of index.manifests) visit(d, 0);
      return out;
    }
    throw new ImageFormatError(
      `${source} is not a "docker save" archive or OCI image layout: it has no manifest.json or index.json. Create one with "docker save -o image.tar IMAGE".`,
    );
  }

  async config(id: string, c: ImageConfig): Promise<Finding[]> {
    const out: Finding[] = [];
    const cfg = c.config ?? c.container_config ?? {};
    const fields: Array<[string, string, string]> = [];
    (cfg.Env ?? []).forEach((e, i) => fields.push([`Env[${i}]`, e, 'an ENV value: "docker inspect" shows it to anyone who has the image; pass the key at run time (-e OPENAI_API_KEY, secrets)']));
    if (cfg.Cmd) fields.push(['Cmd', cfg.Cmd.join(' '), 'the default command']);
    if (cfg.Entrypoint) fields.push(['Entrypoint', cfg.Entrypoint.join(' '), 'the entrypoint']);
    for (const [k, v] of Object.entries(cfg.Labels ?? {})) fields.push([`Labels.${k}`, `${k}=${v}`, 'a LABEL']);
    (c.history ?? []).forEach((h, i) =>
      fields.push([`history[${i}]`, h.created_by ?? '', 'a build step recorded in "docker history" (an ARG or ENV value, or a RUN command line)']),
    );
    let hit = false;
    for (const [field, value, what] of fields) {
      for (const f of await this.detect(this.key, enc.encode(value), { file: `image config ${field}`, target: 'image' })) {
        hit = true;
        out.push({ ...f, file: `image config ${field}`, layer: undefined, line: 0, message: `${f.message} It is in the image config (${field}): ${what}.` });
      }
    }
    if (!hit) {
      // Anything else in the config (e.g. a healthcheck, OnBuild) still ships with the image.
      for (const f of await this.detect(this.key, this.rawJson.get(id) ?? enc.encode(JSON.stringify(c)), { file: `image config ${id}`, target: 'image' }))
        out.push({ ...f, message: `${f.message} It is in the image config.` });
    }
    return out;
  }
}

interface ImageConfig {
  config?: { Env?: string[]; Cmd?: string[]; Entrypoint?: string[]; Labels?: Record<string, string> };
  container_config?: ImageConfig['config'];
  history?: Array<{ created_by?: string; empty_layer?: boolean }>;
}
interface OciIndex {
  manifests: Array<{ digest: string }>;
}
interface OciManifest {
  config?: { digest: string };
  layers?: Array<{ digest: string }>;
}

async function chunksOf(fs: ReadonlyFs, path: string): Promise<AsyncIterable<Uint8Array>> {
  if (fs.readChunks) return fs.readChunks(path, 1 << 20);
  const all = await fs.readFile(path);
  return (async function* () {
    yield all;
  })();
}

/** Audits a docker-save tarball or an image layout folder for the planted key. */
export async function auditImage(opts: ImageAuditOptions): Promise<Finding[]> {
  const { fs, path } = opts;
  let stat;
  try {
    stat = await fs.stat(path);
  } catch {
    throw new ImageFormatError(`${path || '.'} does not exist. Pass a "docker save" tarball or an OCI image layout folder.`);
  }
  const scan = new ImageScan(opts.key, opts.detect, opts.detectStream);
  if (stat.kind === 'dir') {
    const prefix = path ? `${path.replace(/\/$/, '')}/` : '';
    const files = await listFiles(fs, path);
    for (const f of files) {
      const size = (await fs.stat(prefix + f)).size;
      await scan.entry(f, size, toStream(await chunksOf(fs, prefix + f)));
    }
    return scan.finish(path || '.');
  }
  if (stat.size === 0) throw new ImageFormatError(`${path} is empty: expected a "docker save" tarball.`);
  let outer = toStream(await chunksOf(fs, path));
  const { head, stream } = await peek(outer, 512);
  const kind = sniff(head);
  if (kind === 'unknown') throw new ImageFormatError(`${path} is not a tar archive (nor gzip/zstd-compressed tar). Create one with "docker save -o image.tar IMAGE".`);
  outer = decompressed(kind, stream, path);
  let entries = 0;
  try {
    for await (const e of iterate(outer.pipeThrough(createTarDecoder({ strict: true })))) {
      entries++;
      if (e.header.type !== 'file' && e.header.type !== undefined) {
        // Docker 25+ keeps "<id>/layer.tar" as links to "blobs/sha256/<hex>" beside the OCI layout.
        if ((e.header.type === 'symlink' || e.header.type === 'link') && e.header.linkname) scan.link(e.header.name, e.header.linkname, e.header.type === 'symlink');
        await drain(e.body);
        continue;
      }
      await scan.entry(e.header.name, e.header.size, e.body);
    }
  } catch (err) {
    if (err instanceof ImageFormatError) throw err;
    throw new ImageFormatError(`${path} is corrupt or truncated (${(err as Error).message}). Save the image again with "docker save -o image.tar IMAGE".`);
  }
  if (!entries) throw new ImageFormatError(`${path} is an empty tar archive.`);
  return scan.finish(path);
}

/** The `image` target for auditKey(): the planted-key finder, with fragments pooled across the whole target. */
export async function imageTarget(options: AuditOptions): Promise<Finding[]> {
  const fragments = new FragmentCollector(options.key);
  const detect: KeyDetector = (key, bytes, ctx) => findKeyInBytes(key, bytes, { ...ctx, decompress: options.decompress, fragments });
  const detectStream: StreamDetector = (key, chunks, ctx) => findKeyInStream(key, chunks, { ...ctx, decompress: options.decompress, fragments });
  const found = await auditImage({ key: options.key, fs: options.fs, path: options.dir ?? '', detect, detectStream });
  const pieces = fragments.finding('image');
  if (pieces) found.push(pieces);
  return found;
}
