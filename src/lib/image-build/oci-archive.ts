// Writes an OCI image layout as one tar archive (what `docker save` writes since Docker 25, and what
// `docker load` / `podman load` read): oci-layout, index.json, manifest.json (Docker's own index) and
// blobs/sha256/<digest> for the config, the manifest and each layer. Layers are uncompressed tars.
// Pure TypeScript over modern-tar and Web Crypto, so it runs in Node, a worker and the page.
import { packTar, type TarEntry } from 'modern-tar';

export interface LayerFile {
  /** Absolute path in the image ("/app/server.js"). */
  path: string;
  bytes: Uint8Array;
  mode?: number;
}

export interface OciArchiveInput {
  /** Each layer's files, lowest first. */
  layers: LayerFile[][];
  /** The image config without rootfs (added here from the layers). */
  config: Record<string, unknown>;
  /** e.g. "leakproof/09-docker:latest" */
  tag: string;
  /** Manifest annotations (e.g. how the image was built). */
  annotations?: Record<string, string>;
}

const enc = new TextEncoder();
// Fixed times make the archive reproducible: the same inputs give the same digests.
const EPOCH = new Date(0);

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** One layer as a tar: parent folders first, as Docker writes them. */
export async function layerTar(files: LayerFile[]): Promise<Uint8Array> {
  const entries: TarEntry[] = [];
  const dirs = new Set<string>();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const rel = f.path.replace(/^\/+/, '');
    const segs = rel.split('/');
    for (let i = 1; i < segs.length; i++) {
      const d = segs.slice(0, i).join('/') + '/';
      if (dirs.has(d)) continue;
      dirs.add(d);
      entries.push({ header: { name: d, type: 'directory', size: 0, mode: 0o755, mtime: EPOCH, uid: 0, gid: 0 } });
    }
    entries.push({ header: { name: rel, type: 'file', size: f.bytes.length, mode: f.mode ?? 0o644, mtime: EPOCH, uid: 0, gid: 0 }, body: f.bytes });
  }
  return packTar(entries);
}

export async function writeOciArchive(input: OciArchiveInput): Promise<Uint8Array> {
  const blobs: Array<[string, Uint8Array]> = [];
  const layerDescs: Array<{ mediaType: string; digest: string; size: number }> = [];
  for (const files of input.layers) {
    const tar = await layerTar(files);
    const hex = await sha256(tar);
    blobs.push([hex, tar]);
    layerDescs.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${hex}`, size: tar.length });
  }
  const config = enc.encode(JSON.stringify({ ...input.config, rootfs: { type: 'layers', diff_ids: layerDescs.map((l) => l.digest) } }));
  const configHex = await sha256(config);
  blobs.push([configHex, config]);
  const manifest = enc.encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${configHex}`, size: config.length },
      layers: layerDescs,
      ...(input.annotations ? { annotations: input.annotations } : {}),
    }),
  );
  const manifestHex = await sha256(manifest);
  blobs.push([manifestHex, manifest]);
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${manifestHex}`,
        size: manifest.length,
        annotations: { 'io.containerd.image.name': input.tag, 'org.opencontainers.image.ref.name': input.tag.split(':').pop() ?? 'latest' },
      },
    ],
  };
  const dockerManifest = [{ Config: `blobs/sha256/${configHex}`, RepoTags: [input.tag], Layers: layerDescs.map((l) => `blobs/sha256/${l.digest.slice(7)}`) }];
  const file = (name: string, body: Uint8Array): TarEntry => ({ header: { name, type: 'file', size: body.length, mode: 0o644, mtime: EPOCH }, body });
  const entries: TarEntry[] = [
    file('oci-layout', enc.encode('{"imageLayoutVersion":"1.0.0"}')),
    { header: { name: 'blobs/', type: 'directory', size: 0, mtime: EPOCH } },
    { header: { name: 'blobs/sha256/', type: 'directory', size: 0, mtime: EPOCH } },
    ...blobs.map(([hex, body]) => file(`blobs/sha256/${hex}`, body)),
    file('index.json', enc.encode(JSON.stringify(index))),
    file('manifest.json', enc.encode(JSON.stringify(dockerManifest))),
  ];
  return packTar(entries);
}
