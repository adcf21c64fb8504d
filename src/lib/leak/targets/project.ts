// A project folder as it is: which targets apply to it (`leakproof audit --target all`), and the
// image archives inside it (`--target image` on a project folder). One walk of the folder (without
// .git and node_modules) finds build output folders, Dockerfiles and compose files, and image
// archives: `docker save` tarballs (plain, .tar.gz, .tar.zst), OCI layout folders and extracted
// `docker save` folders.
import type { ReadonlyFs } from '../../fs/types.ts';
import type { AuditOptions, Finding, Target } from '../types.ts';
import { joinPath } from './scan-files.ts';
import { isComposeName, isDockerfileName } from './docker.ts';

/** Folder names that build tools write their output to (Vite, webpack, CRA, Next, Nuxt, Astro, SvelteKit, ...). */
const BUILD_DIRS = new Set(['dist', 'build', 'out', '.next', '.output', '.nuxt', '.svelte-kit', '.vercel', '.netlify', 'storybook-static', '_site', 'public/build']);
/** Names an image archive goes by ("docker save -o app.tar", "| gzip > app.tar.gz", "| zstd"). */
const ARCHIVE_NAME = /\.(tar|tgz|tar\.gz|tar\.zst|tar\.zstd|oci)$/i;
/** How deep build folders and archives are looked for (a monorepo's packages/<name>/dist is at 3). */
const MAX_DEPTH = 4;

export interface ImageCandidate {
  path: string;
  /** 'layout': a folder with oci-layout or manifest.json; 'archive': a file that may be one. */
  kind: 'layout' | 'archive';
}

export interface ProjectLayout {
  git: boolean;
  /** Build output folders (outermost only). */
  bundles: string[];
  /** Dockerfiles and compose files. */
  docker: string[];
  images: ImageCandidate[];
}

/**
 * A folder that is itself an image: an OCI layout, or an extracted `docker save` (manifest.json
 * beside `repositories`, `blobs/` or `<64 hex>/` layer folders). A web project's manifest.json or
 * index.json alone does not make one.
 */
function isImageFolder(names: Set<string>): boolean {
  if (names.has('oci-layout')) return true;
  if (!names.has('manifest.json')) return false;
  if (names.has('repositories') || names.has('blobs')) return true;
  for (const n of names) if (/^[a-f0-9]{64}(\.json)?$/.test(n)) return true;
  return false;
}

/** Whether the first bytes are a tar archive, or gzip/zstd data (that may hold one). */
function looksLikeArchive(head: Uint8Array): boolean {
  if (head[0] === 0x1f && head[1] === 0x8b) return true;
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return true;
  return head.length >= 262 && String.fromCharCode(...head.subarray(257, 262)) === 'ustar';
}

async function readHead(fs: ReadonlyFs, path: string): Promise<Uint8Array> {
  if (fs.readChunks) {
    for await (const chunk of fs.readChunks(path, 512)) return chunk;
    return new Uint8Array(0);
  }
  return (await fs.readFile(path)).subarray(0, 512);
}

/** Walks `dir` once and says what it holds. */
export async function surveyProject(fs: ReadonlyFs, dir: string): Promise<ProjectLayout> {
  const out: ProjectLayout = { git: false, bundles: [], docker: [], images: [] };
  const walk = async (d: string, rel: string, depth: number, inBuild: boolean) => {
    const entries = await fs.readdir(d);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = new Set(entries.map((e) => e.name));
    if (rel && isImageFolder(names)) {
      out.images.push({ path: d, kind: 'layout' });
      return;
    }
    for (const e of entries) {
      const p = joinPath(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.name === '.git') {
        if (!rel) out.git = true;
        continue;
      }
      if (e.name === 'node_modules' || e.kind === 'symlink') continue;
      if (e.kind === 'dir') {
        const build = !inBuild && (BUILD_DIRS.has(e.name) || BUILD_DIRS.has(r));
        if (build) out.bundles.push(p);
        if (depth < MAX_DEPTH) await walk(p, r, depth + 1, inBuild || build);
      } else if (isDockerfileName(e.name) || isComposeName(e.name)) out.docker.push(p);
      else if (ARCHIVE_NAME.test(e.name) && looksLikeArchive(await readHead(fs, p))) out.images.push({ path: p, kind: 'archive' });
    }
  };
  await walk(dir, '', 0, false);
  return out;
}

/** One target of a project audit: the target and the folder (or archive) it runs on. */
export interface PlannedAudit {
  target: Target;
  dir: string;
}

/** Every target that applies to the project folder `dir` (source always; the others when there is something for them). */
export async function planProjectAudit(fs: ReadonlyFs, dir: string): Promise<{ plan: PlannedAudit[]; layout: ProjectLayout }> {
  const layout = await surveyProject(fs, dir);
  const plan: PlannedAudit[] = [{ target: 'source', dir }];
  for (const b of layout.bundles) plan.push({ target: 'bundle', dir: b });
  if (layout.git) plan.push({ target: 'git', dir });
  if (layout.docker.length) plan.push({ target: 'docker', dir });
  if (layout.images.length) plan.push({ target: 'image', dir });
  return { plan, layout };
}

/** What the image target says when a folder holds no image (the CLI's exit 2 names it by this). */
export class NoImageFoundError extends Error {
  constructor(dir: string) {
    super(
      `No image archive in "${dir || '.'}": no "docker save" tarball (.tar, .tar.gz, .tar.zst), OCI layout or extracted image folder was found ` +
        '(.git and node_modules are not searched). Save the image into the project first ("docker save -o image.tar IMAGE"), or pass the tarball itself.',
    );
    this.name = 'NoImageFoundError';
  }
}

/**
 * The `image` target on any path: a tarball or an image folder is audited as before; a project
 * folder is searched for image archives and each is audited, its findings named "<archive> > <file>".
 * A file that only looked like an archive (a source tarball, an npm .tgz) is skipped.
 */
export async function imageTargetInProject(options: AuditOptions): Promise<Finding[]> {
  const { imageTarget } = await import('./image.ts');
  const dir = options.dir ?? '';
  const st = await options.fs.stat(dir).catch(() => null);
  if (!st || st.kind !== 'dir') return imageTarget(options);
  const names = new Set((await options.fs.readdir(dir)).map((e) => e.name));
  if (isImageFolder(names)) return imageTarget(options);
  const { images } = await surveyProject(options.fs, dir);
  const findings: Finding[] = [];
  let audited = 0;
  for (const img of images) {
    let found: Finding[];
    try {
      found = await imageTarget({ ...options, dir: img.path });
    } catch (e) {
      // Only a file guessed by its name may turn out not to be an image; a broken image is an error.
      if (img.kind === 'archive' && (e as Error).name === 'ImageFormatError' && /not a "docker save" archive|not a tar archive/.test((e as Error).message)) continue;
      throw e;
    }
    audited++;
    const shown = dir && img.path.startsWith(`${dir}/`) ? img.path.slice(dir.length + 1) : img.path;
    for (const f of found) findings.push({ ...f, file: `${shown} > ${f.file}`, message: `${f.message} (image ${shown})` });
  }
  if (!audited) throw new NoImageFoundError(dir);
  return findings;
}
