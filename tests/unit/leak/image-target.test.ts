// Image fixtures are built here with modern-tar and node:zlib (there is no Docker engine in CI).
import { describe, it, expect } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { packTar } from 'modern-tar';
import { auditImage, ImageFormatError } from '../../../src/lib/leak/targets/image.ts';
import { nodeFs, fakeKey, tempDir, plainDetector } from './helpers-h3b.ts';

const KEY = fakeKey();
const te = new TextEncoder();
type Files = Record<string, string | Uint8Array>;

async function layerTar(files: Files): Promise<Uint8Array> {
  return packTar(
    Object.entries(files).map(([name, body]) => {
      const b = typeof body === 'string' ? te.encode(body) : body;
      return { header: { name, size: b.length, type: 'file' as const }, body: b };
    }),
  );
}
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface ImageSpec {
  layers: Files[];
  env?: string[];
  labels?: Record<string, string>;
  history?: string[];
  compress?: 'gzip' | 'zstd';
}

function config(spec: ImageSpec) {
  return {
    architecture: 'amd64',
    os: 'linux',
    config: { Env: spec.env ?? ['PATH=/usr/bin'], Cmd: ['node', 'server.js'], Labels: spec.labels ?? {} },
    history: (spec.history ?? spec.layers.map((_, i) => `COPY step ${i}`)).map((created_by) => ({ created_by })),
    rootfs: { type: 'layers', diff_ids: [] },
  };
}

/** Legacy `docker save` layout: <id>/layer.tar, <hex>.json, manifest.json (written last, as Docker does). */
async function legacyTar(spec: ImageSpec): Promise<Uint8Array> {
  const entries: Files = {};
  const names: string[] = [];
  for (const files of spec.layers) {
    const t = await layerTar(files);
    const id = sha(t);
    entries[`${id}/layer.tar`] = t;
    entries[`${id}/VERSION`] = '1.0';
    names.push(`${id}/layer.tar`);
  }
  const cfg = te.encode(JSON.stringify(config(spec)));
  entries[`${sha(cfg)}.json`] = cfg;
  entries['manifest.json'] = JSON.stringify([{ Config: `${sha(cfg)}.json`, RepoTags: ['app:latest'], Layers: names }]);
  return layerTar(entries);
}

/** OCI layout (Docker 25+ `docker save`, skopeo, crane): blobs/sha256/<hex>, index.json, optional nested index. */
async function ociFiles(spec: ImageSpec, nested = false): Promise<Files> {
  const out: Files = { 'oci-layout': '{"imageLayoutVersion":"1.0.0"}' };
  const blob = (b: Uint8Array) => {
    const h = sha(b);
    out[`blobs/sha256/${h}`] = b;
    return { digest: `sha256:${h}`, size: b.length };
  };
  const layers = [];
  for (const files of spec.layers) {
    let t = await layerTar(files);
    if (spec.compress === 'gzip') t = new Uint8Array(gzipSync(t));
    if (spec.compress === 'zstd') t = new Uint8Array(zstdCompressSync(t));
    layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...blob(t) });
  }
  const cfg = blob(te.encode(JSON.stringify(config(spec))));
  const manifest = blob(te.encode(JSON.stringify({ schemaVersion: 2, config: cfg, layers })));
  let top = manifest;
  if (nested) top = blob(te.encode(JSON.stringify({ schemaVersion: 2, manifests: [manifest] })));
  out['index.json'] = JSON.stringify({ schemaVersion: 2, manifests: [top] });
  return out;
}

function save(bytes: Uint8Array, name = 'image.tar'): { root: string; path: string } {
  const root = tempDir('img');
  writeFileSync(join(root, name), bytes);
  return { root, path: name };
}
const audit = ({ root, path }: { root: string; path: string }) => auditImage({ key: KEY, fs: nodeFs(root), path, detect: plainDetector });

const app = { 'app/server.js': 'process.env.OPENAI_API_KEY', 'app/package.json': '{}' };

describe('image target', () => {
  it('catches a key in a file that a later layer deletes (legacy layout)', async () => {
    const tar = await legacyTar({ layers: [app, { 'app/.env': `OPENAI_API_KEY=${KEY}` }, { 'app/.wh..env': '' }], history: ['COPY . /app', 'COPY .env /app/', 'RUN rm /app/.env'] });
    const f = await audit(save(tar));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: 'app/.env', target: 'image' });
    expect(f[0].layer).toMatch(/^[a-f0-9]{64}\/layer\.tar$/);
    expect(f[0].message).toMatch(/layer 2 of 3, made by `COPY \.env \/app\/`/);
  });

  it('passes a clean image (legacy and OCI)', async () => {
    expect(await audit(save(await legacyTar({ layers: [app] })))).toEqual([]);
    expect(await audit(save(await layerTar(await ociFiles({ layers: [app], compress: 'gzip' }))))).toEqual([]);
  });

  it('reads an OCI tarball with gzip layers', async () => {
    const f = await audit(save(await layerTar(await ociFiles({ layers: [app, { 'app/config.js': `k="${KEY}"` }], compress: 'gzip' }))));
    expect(f.map((x) => [x.file, x.layer?.slice(0, 7)])).toEqual([['app/config.js', 'sha256:']]);
  });

  it('reads zstd layers', async () => {
    const f = await audit(save(await layerTar(await ociFiles({ layers: [{ '.env': KEY }], compress: 'zstd' }))));
    expect(f.map((x) => x.file)).toEqual(['.env']);
  });

  it('reads an OCI layout folder with a nested (multi-platform) index', async () => {
    const root = tempDir('oci');
    for (const [p, b] of Object.entries(await ociFiles({ layers: [app, { 'root/.npmrc': KEY }] }, true))) {
      mkdirSync(dirname(join(root, 'layout', p)), { recursive: true });
      writeFileSync(join(root, 'layout', p), b);
    }
    const f = await audit({ root, path: 'layout' });
    expect(f.map((x) => x.file)).toEqual(['root/.npmrc']);
  });

  it('follows Docker 25+ links from <id>/layer.tar to blobs/sha256/<hex>', async () => {
    const layer = await layerTar({ 'srv/.env': KEY });
    const cfg = te.encode(JSON.stringify(config({ layers: [{}] })));
    const hex = sha(layer);
    const link = `${'a'.repeat(64)}/layer.tar`;
    const mf = te.encode(JSON.stringify([{ Config: `blobs/sha256/${sha(cfg)}`, Layers: [link] }]));
    const tar = await packTar([
      { header: { name: `blobs/sha256/${hex}`, size: layer.length, type: 'file' }, body: layer },
      { header: { name: `blobs/sha256/${sha(cfg)}`, size: cfg.length, type: 'file' }, body: cfg },
      { header: { name: link, size: 0, type: 'symlink', linkname: `../blobs/sha256/${hex}` } },
      { header: { name: 'manifest.json', size: mf.length, type: 'file' }, body: mf },
    ]);
    const f = await audit(save(tar));
    expect(f.map((x) => [x.file, x.layer])).toEqual([['srv/.env', `sha256:${hex}`]]);
    expect(f[0].message).toMatch(/layer 1 of 1/);
  });

  it('reads buildx attestation manifests whose layers are JSON documents', async () => {
    const files = await ociFiles({ layers: [app] });
    const doc = te.encode(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', predicate: { note: KEY } }));
    const cfg = te.encode('{"architecture":"unknown","os":"unknown","config":{},"rootfs":{"type":"layers","diff_ids":[]}}');
    const att = te.encode(JSON.stringify({ schemaVersion: 2, config: { digest: `sha256:${sha(cfg)}` }, layers: [{ mediaType: 'application/vnd.in-toto+json', digest: `sha256:${sha(doc)}` }] }));
    files[`blobs/sha256/${sha(doc)}`] = doc;
    files[`blobs/sha256/${sha(cfg)}`] = cfg;
    files[`blobs/sha256/${sha(att)}`] = att;
    const index = JSON.parse(files['index.json'] as string);
    index.manifests.push({ digest: `sha256:${sha(att)}` });
    files['index.json'] = JSON.stringify(index);
    const f = await audit(save(await layerTar(files)));
    expect(f.map((x) => x.file)).toEqual([`sha256:${sha(doc)}`]);
  });

  it('catches the key in the config Env, Labels and history', async () => {
    const tar = await legacyTar({ layers: [app], env: ['PATH=/bin', `OPENAI_API_KEY=${KEY}`], labels: { k: KEY }, history: [`ARG OPENAI_API_KEY=${KEY}`] });
    const f = await audit(save(tar));
    expect(f.map((x) => x.file).sort()).toEqual(['image config Env[1]', 'image config Labels.k', 'image config history[0]']);
    expect(f.find((x) => x.file.includes('Env'))!.message).toMatch(/docker inspect/);
  });

  it('scans a gzip-compressed docker save (docker save | gzip)', async () => {
    const f = await audit(save(new Uint8Array(gzipSync(await legacyTar({ layers: [{ '.env': KEY }] }))), 'image.tar.gz'));
    expect(f.map((x) => x.file)).toEqual(['.env']);
  });

  it('finds a key in a large file across the streaming window edge', async () => {
    const big = new Uint8Array(17 * 1024 * 1024).fill(0x61);
    big.set(te.encode(KEY), 16 * 1024 * 1024 - 20);
    const f = await audit(save(await legacyTar({ layers: [{ 'data.bin': big }] })));
    expect(f.map((x) => x.file)).toEqual(['data.bin']);
  });

  const bad: Array<[string, () => Promise<Uint8Array>, RegExp]> = [
    ['truncated tarball', async () => (await legacyTar({ layers: [app] })).slice(0, 1500), /corrupt or truncated/],
    ['not a tar at all', async () => te.encode('hello world\n'.repeat(100)), /not a tar archive/],
    ['a tar without manifest.json or index.json', async () => layerTar({ 'a.txt': 'x' }), /no manifest\.json or index\.json/],
    ['a manifest that lists a missing layer', async () => layerTar({ 'manifest.json': '[{"Config":"c.json","Layers":["x/layer.tar"]}]', 'c.json': '{"config":{}}' }), /lists layer x\/layer\.tar/],
    ['a corrupt gzip layer', async () => {
      const files = await ociFiles({ layers: [app], compress: 'gzip' });
      for (const [k, v] of Object.entries(files)) if (v instanceof Uint8Array && v[0] === 0x1f) files[k] = v.slice(0, 30);
      return layerTar(files);
    }, /corrupt or truncated/],
    ['an unsupported layer compression', async () => layerTar({ 'x/layer.tar': te.encode('BZh91AY&SY' + 'x'.repeat(600)) }), /unsupported layer compression/],
    ['an OCI layer blob in xz', async () => {
      const files = await ociFiles({ layers: [app] });
      for (const [k, v] of Object.entries(files)) if (v instanceof Uint8Array && v.length > 512 && v[0] !== 0x7b) files[k] = new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, ...new Uint8Array(1000).fill(7)]);
      return layerTar(files);
    }, /unsupported layer compression/],
  ];
  for (const [name, make, msg] of bad) {
    it(`refuses ${name} with a clear error`, async () => {
      const p = audit(save(await make()));
      await expect(p).rejects.toBeInstanceOf(ImageFormatError);
      await expect(audit(save(await make()))).rejects.toThrow(msg);
    });
  }

  it('refuses an empty file and a missing path', async () => {
    await expect(audit(save(new Uint8Array(0)))).rejects.toThrow(/is empty/);
    await expect(audit({ root: tempDir('img'), path: 'nope.tar' })).rejects.toThrow(/does not exist/);
  });
});
