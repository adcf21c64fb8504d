// A project folder as it is, through the real CLI: `--target image` finds the image archives in it
// (docker save tarballs plain or gzipped, OCI layout folders; not in node_modules; a source tarball
// is not an image), and `--target all` runs every target that applies, in one report.
import { describe, it, expect } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { packTar } from 'modern-tar';
import { fakeKey, tempDir } from './helpers-h3b.ts';

const BIN = resolve(__dirname, '../../../bin/leakproof.mjs');
const KEY = fakeKey();
const te = new TextEncoder();
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
type Files = Record<string, string | Uint8Array>;

const tar = (files: Files) =>
  packTar(
    Object.entries(files).map(([name, body]) => {
      const b = typeof body === 'string' ? te.encode(body) : body;
      return { header: { name, size: b.length, type: 'file' as const }, body: b };
    }),
  );

/** A legacy `docker save` tarball: one layer with `files`, a config with `env`. */
async function dockerSave(files: Files, env: string[] = ['PATH=/usr/bin']): Promise<Uint8Array> {
  const layer = await tar(files);
  const cfg = te.encode(JSON.stringify({ config: { Env: env }, history: [{ created_by: 'COPY . /app' }] }));
  return tar({ [`${sha(layer)}/layer.tar`]: layer, [`${sha(cfg)}.json`]: cfg, 'manifest.json': JSON.stringify([{ Config: `${sha(cfg)}.json`, Layers: [`${sha(layer)}/layer.tar`] }]) });
}

/** An OCI layout folder's files (as `skopeo copy … oci:dir` writes them), under `dir`. */
async function ociLayout(dir: string, files: Files, env: string[]): Promise<Files> {
  const out: Files = { [`${dir}/oci-layout`]: '{"imageLayoutVersion":"1.0.0"}' };
  const blob = (b: Uint8Array) => ((out[`${dir}/blobs/sha256/${sha(b)}`] = b), { digest: `sha256:${sha(b)}`, size: b.length });
  const layer = blob(await tar(files));
  const cfg = blob(te.encode(JSON.stringify({ config: { Env: env } })));
  const manifest = blob(te.encode(JSON.stringify({ schemaVersion: 2, config: cfg, layers: [layer] })));
  out[`${dir}/index.json`] = JSON.stringify({ schemaVersion: 2, manifests: [manifest] });
  return out;
}

function project(files: Files): string {
  const d = tempDir('project');
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), typeof c === 'string' ? c.replaceAll('$KEY', KEY) : c);
  }
  return d;
}
const keyFile = () => {
  const d = tempDir('key');
  writeFileSync(join(d, 'key.txt'), KEY + '\n');
  return join(d, 'key.txt');
};
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  let json: { leak?: boolean; findings?: Array<{ target: string; file: string; message: string }>; audited?: Array<{ target: string; dir: string }>; error?: string } | undefined;
  try {
    json = JSON.parse(last);
  } catch {
    json = undefined;
  }
  return { code: r.status, out: r.stdout, err: r.stderr, json };
}
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd, stdio: 'pipe' });

describe('audit --target image on a project folder', () => {
  it('finds docker save tarballs (plain and .tar.gz) and OCI layouts in it, not in node_modules, and names the archive', async () => {
    const d = project({
      'src/app.js': 'export const k = process.env.OPENAI_API_KEY;',
      'artifacts/app.tar': await dockerSave({ 'app/.env': `OPENAI_API_KEY=${KEY}\n` }),
      'release/app.tar.gz': new Uint8Array(gzipSync(await dockerSave({ 'app/server.js': 'listen(3000)' }, [`OPENAI_API_KEY=${KEY}`]))),
      ...(await ociLayout('build/oci', { 'app/config.json': `{"key":"${KEY}"}` }, ['PATH=/usr/bin'])),
      // Not images: an npm pack tarball (holds the key as source, which the source target covers)
      // and an image inside node_modules (a dependency's, not the project's).
      'vendor/pkg-1.0.0.tgz': new Uint8Array(gzipSync(await tar({ 'package/index.js': `k="${KEY}"` }))),
      'node_modules/dep/image.tar': await dockerSave({ 'x.txt': KEY }),
    });
    const r = cli('audit', d, '--key-file', keyFile(), '--target', 'image', '--json');
    expect(r.code, r.err).toBe(1);
    const files = r.json!.findings!.map((f) => f.file).sort();
    expect(files).toEqual(['artifacts/app.tar > app/.env', 'build/oci > app/config.json', 'release/app.tar.gz > image config Env[0]']);
    expect(r.json!.findings!.every((f) => f.target === 'image')).toBe(true);
    expect(r.out).not.toContain(KEY);
  });

  it('a web project with its own manifest.json and index.json is searched, not taken for an image', async () => {
    const d = project({ 'manifest.json': '{"name":"My PWA","icons":[]}', 'index.json': '[]', 'public/app.tar': await dockerSave({ 'app/.env': KEY }) });
    const r = cli('audit', d, '--key-file', keyFile(), '--target', 'image', '--json');
    expect([r.code, r.json!.findings!.map((f) => f.file)]).toEqual([1, ['public/app.tar > app/.env']]);
  });

  it('an extracted docker save folder (manifest.json beside <id>/ layer folders) is audited as one image', async () => {
    const layer = await tar({ 'app/.env': KEY });
    const id = sha(layer);
    const cfg = JSON.stringify({ config: { Env: [] } });
    const d = project({ [`img/${id}/layer.tar`]: layer, [`img/${sha(te.encode(cfg))}.json`]: cfg, 'img/manifest.json': JSON.stringify([{ Config: `${sha(te.encode(cfg))}.json`, Layers: [`${id}/layer.tar`] }]) });
    const r = cli('audit', join(d, 'img'), '--key-file', keyFile(), '--target', 'image', '--json');
    expect([r.code, r.json!.findings!.map((f) => f.file)]).toEqual([1, ['app/.env']]);
  });

  it('a folder with images but no key in them: exit 0', async () => {
    const d = project({ 'image.tar': await dockerSave({ 'app/server.js': 'listen(3000)' }) });
    const r = cli('audit', d, '--key-file', keyFile(), '--target', 'image');
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toMatch(/No trace of the key/);
  });

  it('a folder without any image archive (only a source tarball): exit 2, saying how to make one', async () => {
    const d = project({ 'src/a.js': '1', 'dist.tar.gz': new Uint8Array(gzipSync(await tar({ 'a.js': '1' }))) });
    const r = cli('audit', d, '--key-file', keyFile(), '--target', 'image');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/No image archive in .*docker save -o image\.tar IMAGE/s);
  });

  it('the tarball itself, or an OCI layout folder itself, is audited as before (no archive prefix)', async () => {
    const d = project({ 'app.tar': await dockerSave({ 'app/.env': KEY }), ...(await ociLayout('oci', {}, [`K=${KEY}`])) });
    expect(cli('audit', join(d, 'app.tar'), '--key-file', keyFile(), '--target', 'image', '--json').json!.findings!.map((f) => f.file)).toEqual(['app/.env']);
    expect(cli('audit', join(d, 'oci'), '--key-file', keyFile(), '--target', 'image', '--json').json!.findings!.map((f) => f.file)).toEqual(['image config Env[0]']);
  });
});

describe('audit --target all', () => {
  it('runs source, bundle for each build folder, git, docker and image in one pass, one report', async () => {
    const d = project({
      'src/app.js': 'export const k = process.env.OPENAI_API_KEY;',
      '.gitignore': 'dist/\n*.tar\n.env\n',
      'Dockerfile': 'FROM node:22\nCOPY . /app\nENV OPENAI_API_KEY=$KEY\n',
    });
    git(d, 'init', '-q', '-b', 'main');
    writeFileSync(join(d, 'old.env'), `OPENAI_API_KEY=${KEY}\n`);
    git(d, 'add', '.');
    git(d, 'commit', '-q', '-m', 'first');
    git(d, 'rm', '-q', 'old.env');
    git(d, 'commit', '-q', '-m', 'remove the key file');
    mkdirSync(join(d, 'dist/assets'), { recursive: true });
    writeFileSync(join(d, 'dist/assets/index.js'), `fetch(u,{headers:{Authorization:"Bearer ${Buffer.from(KEY).toString('base64')}"}})`);
    writeFileSync(join(d, 'image.tar'), await dockerSave({ 'app/.env': KEY }));
    const r = cli('audit', d, '--key-file', keyFile(), '--target', 'all', '--json');
    expect(r.code, r.err).toBe(1);
    expect(r.json!.audited).toEqual([
      { target: 'source', dir: '' },
      { target: 'bundle', dir: 'dist' },
      { target: 'git', dir: '' },
      { target: 'docker', dir: '' },
      { target: 'image', dir: '' },
    ]);
    const byTarget = (t: string) => r.json!.findings!.filter((f) => f.target === t).map((f) => f.file);
    expect(byTarget('source')).toEqual(['Dockerfile']);
    expect(byTarget('bundle')).toEqual(['dist/assets/index.js']);
    expect(byTarget('git')).toContain('old.env');
    expect(byTarget('docker').length).toBeGreaterThan(0);
    expect(byTarget('image')).toEqual(['image.tar > app/.env']);
    const text = cli('audit', d, '--key-file', keyFile(), '--target', 'all');
    expect(text.out).toMatch(/The key leaked \(source, bundle dist, git, docker, image of /);
    expect(text.out).not.toContain(KEY);
  });

  it('a plain folder gets the source target only, and a clean one exits 0', () => {
    const d = project({ 'index.js': 'console.log(process.env.OPENAI_API_KEY)' });
    const r = cli('audit', d, '--key-file', keyFile(), '--target', 'all', '--json');
    expect([r.code, r.json!.leak, r.json!.audited]).toEqual([0, false, [{ target: 'source', dir: '' }]]);
  });

  it('finds build folders deeper in a monorepo, but not inside node_modules', () => {
    const d = project({ 'packages/web/dist/a.js': `k="${KEY}"`, 'packages/web/src/a.js': '1', 'node_modules/x/dist/a.js': `k="${KEY}"` });
    const r = cli('audit', d, '--key-file', keyFile(), '--target', 'all', '--json');
    expect(r.json!.audited!.filter((a) => a.target === 'bundle')).toEqual([{ target: 'bundle', dir: 'packages/web/dist' }]);
  });

  it('all is given alone', () => {
    const r = cli('audit', tempDir('x'), '--key-file', keyFile(), '--target', 'all,git');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--target all already runs every target that applies: give it alone/);
  });
});
