// The image builder (no Docker engine): the archive is a real OCI layout that the `image` target
// reads like a `docker save` tarball; COPY layers honour .dockerignore and stages; ENV values and
// ARG values a RUN sees land in the config and history as Docker puts them there; RUN is not run.
import { describe, it, expect } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { unpackTar } from 'modern-tar';
import { buildImage, ImageBuildError } from '../../../src/lib/image-build/build-image.ts';
import { auditImage } from '../../../src/lib/leak/targets/image.ts';
import { keyProbes } from '../../../src/lib/leak/targets/docker.ts';
import type { ReadonlyFs } from '../../../src/lib/fs/types.ts';
import { nodeFs, fakeKey, tempDir, plainDetector } from '../leak/helpers-h3b.ts';

const KEY = fakeKey();
const dec = new TextDecoder();

function project(files: Record<string, string>): ReadonlyFs {
  const d = tempDir('image-build');
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), c.replaceAll('$KEY', KEY));
  }
  return nodeFs(d);
}

function memFs(files: Record<string, Uint8Array>): ReadonlyFs {
  return {
    async readdir() {
      return Object.keys(files).map((name) => ({ name, kind: 'file' as const }));
    },
    async readFile(p) {
      if (!files[p]) throw new Error(`no ${p}`);
      return files[p];
    },
    async stat(p) {
      if (!files[p]) throw new Error(`no ${p}`);
      return { kind: 'file' as const, size: files[p].length };
    },
  };
}

async function build(files: Record<string, string>, buildArgs?: Record<string, string>) {
  const fs = project(files);
  const probes = keyProbes({ key: KEY, fs, detect: plainDetector }, '');
  return buildImage({ fs, buildArgs, probes });
}

async function auditArchive(archive: Uint8Array) {
  return auditImage({ key: KEY, fs: memFs({ 'image.tar': archive }), path: 'image.tar', detect: plainDetector });
}

const APP = { 'package.json': '{"name":"app"}', 'server.js': 'console.log(process.env.OPENAI_API_KEY ? "ok" : "no key")' };

describe('buildImage', () => {
  it('writes a valid OCI layout: digests match, manifest names config and layers, docker manifest too', async () => {
    const img = await build({ ...APP, Dockerfile: 'FROM node:22-slim\nWORKDIR /app\nCOPY package.json ./\nCOPY server.js ./\nCMD ["node","server.js"]\n' });
    const entries = await unpackTar(img.archive);
    const byName = new Map(entries.map((e) => [e.header.name, e.data ?? new Uint8Array()]));
    expect(dec.decode(byName.get('oci-layout'))).toContain('1.0.0');
    for (const [name, data] of byName) {
      if (!name.startsWith('blobs/sha256/') || name.endsWith('/')) continue;
      expect(createHash('sha256').update(data).digest('hex')).toBe(name.slice('blobs/sha256/'.length));
    }
    const index = JSON.parse(dec.decode(byName.get('index.json')));
    const manifest = JSON.parse(dec.decode(byName.get(`blobs/sha256/${index.manifests[0].digest.slice(7)}`)));
    expect(manifest.layers).toHaveLength(2);
    const config = JSON.parse(dec.decode(byName.get(`blobs/sha256/${manifest.config.digest.slice(7)}`)));
    expect(config.config).toMatchObject({ Cmd: ['node', 'server.js'], WorkingDir: '/app' });
    expect(config.rootfs.diff_ids).toEqual(manifest.layers.map((l: { digest: string }) => l.digest));
    const docker = JSON.parse(dec.decode(byName.get('manifest.json')));
    expect(docker[0].Layers).toHaveLength(2);
    expect([...img.rootfs.keys()].sort()).toEqual(['/app/package.json', '/app/server.js']);
    expect(await auditArchive(img.archive)).toEqual([]);
  });

  it('is reproducible: the same inputs give the same bytes', async () => {
    const files = { ...APP, Dockerfile: 'FROM node:22\nCOPY . /app\n' };
    expect((await build(files)).archive).toEqual((await build(files)).archive);
  });

  // [name, files, build args, what the image target must find (file names of findings)]
  const leaks: Array<[string, Record<string, string>, Record<string, string> | undefined, RegExp]> = [
    ['ENV with the key ends up in the config', { ...APP, Dockerfile: 'FROM node:22\nENV OPENAI_API_KEY=$KEY\n' }, undefined, /image config Env\[0\]/],
    ['an ARG value a RUN sees is in the history', { ...APP, Dockerfile: 'FROM node:22\nARG OPENAI_API_KEY\nRUN npm run build\n' }, { OPENAI_API_KEY: KEY }, /image config history/],
    ['COPY . . without .dockerignore puts .env in a layer', { ...APP, '.env': 'OPENAI_API_KEY=$KEY\n', Dockerfile: 'FROM node:22\nWORKDIR /app\nCOPY . .\n' }, undefined, /^app\/\.env$/],
    ['a LABEL with the key', { ...APP, Dockerfile: 'FROM node:22\nLABEL token=$KEY\n' }, undefined, /Labels/],
    ['COPY ${VAR} of .env', { ...APP, '.env': 'K=$KEY', Dockerfile: 'FROM x\nARG CFG=.env\nCOPY ${CFG} /etc/app.env\n' }, undefined, /^etc\/app\.env$/],
    ['COPY --chown', { ...APP, '.env': 'K=$KEY', Dockerfile: 'FROM node:22\nCOPY --chown=node:node . /app\n' }, undefined, /^app\/\.env$/],
    ['COPY in JSON form', { ...APP, '.env': 'K=$KEY', Dockerfile: 'FROM node:22\nCOPY ["server.js", ".env", "/app/"]\n' }, undefined, /^app\/\.env$/],
    ['lower-case instructions and a stage copied by name', { ...APP, '.env': 'K=$KEY', Dockerfile: 'from node:22 as build\ncopy . /src\nfrom node:22\ncopy --from=build /src/.env /x/.env\n' }, undefined, /^x\/\.env$/],
    ['FROM ${ARG} with --platform, final stage FROM it', { ...APP, '.env': 'K=$KEY', Dockerfile: 'ARG BASE=node:22\nFROM --platform=$BUILDPLATFORM ${BASE} AS b\nCOPY .env /e\nFROM b\n' }, undefined, /^e$/],
    ['a stage copied by index', { ...APP, '.env': 'K=$KEY', Dockerfile: 'FROM node:22\nCOPY .env /a\nFROM alpine\nCOPY --from=0 /a /b\n' }, undefined, /^b$/],
    ['COPY --link --chmod after a RUN heredoc', { ...APP, '.env': 'K=$KEY', Dockerfile: 'FROM node:22\nRUN <<EOF\necho hi\nEOF\nCOPY --link --chmod=600 .env /run/.env\n' }, undefined, /^run\/\.env$/],
    ['RUN rm .env does not remove the earlier layer', { ...APP, '.env': 'K=$KEY', Dockerfile: 'FROM x\nCOPY . /app\nRUN rm /app/.env\n' }, undefined, /^app\/\.env$/],
  ];
  for (const [name, files, args, where] of leaks) {
    it(`must catch: ${name}`, async () => {
      const img = await build(files, args);
      const found = await auditArchive(img.archive);
      expect(found.map((f) => f.file).some((f) => where.test(f)), JSON.stringify(found.map((f) => f.file))).toBe(true);
    });
  }

  it('must pass: .dockerignore keeps .env out, key passed at run time', async () => {
    const img = await build({ ...APP, '.env': 'OPENAI_API_KEY=$KEY\n', '.dockerignore': '.env\n', Dockerfile: 'FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["node","server.js"]\n' });
    expect(await auditArchive(img.archive)).toEqual([]);
    expect(img.taints).toEqual([]);
    expect(img.rootfs.has('/app/.env')).toBe(false);
  });

  it('multi-stage: only the final stage ships; a build step that can read the key taints what the final stage copies', async () => {
    const img = await build({
      ...APP,
      '.env': 'OPENAI_API_KEY=$KEY\n',
      Dockerfile: 'FROM node:22 AS build\nWORKDIR /src\nCOPY . .\nRUN npm run build\nFROM node:22-slim\nWORKDIR /app\nCOPY --from=build /src/dist ./dist\nCOPY --from=build /src/server.js ./\n',
    });
    expect(await auditArchive(img.archive)).toEqual([]);
    expect([...img.rootfs.keys()]).toEqual(['/app/server.js']);
    expect(img.taints).toHaveLength(1);
    expect(img.taints[0].at.line).toBe(7);
    expect(img.taints[0].reasons.join(' ')).toMatch(/\.env/);
    expect(img.notes.join(' ')).toMatch(/RUN steps are not executed \(line 4\)/);
  });

  it('must pass: a secret mount gives the build step the key without taint or history', async () => {
    const img = await build({
      ...APP,
      '.env': 'OPENAI_API_KEY=$KEY\n',
      '.dockerignore': '.env\n',
      Dockerfile: 'FROM node:22 AS build\nWORKDIR /src\nCOPY . .\nRUN --mount=type=secret,id=openai,env=OPENAI_API_KEY npm run build\nFROM node:22-slim\nCOPY --from=build /src/dist /app/dist\n',
    });
    expect(img.taints).toEqual([]);
    expect(img.missingSecrets).toEqual(['openai']);
    expect(await auditArchive(img.archive)).toEqual([]);
  });

  it('says what is wrong when there is nothing to build', async () => {
    await expect(build({ ...APP })).rejects.toThrow(ImageBuildError);
    await expect(build({ ...APP })).rejects.toThrow(/no Dockerfile to build/);
    await expect(build({ Dockerfile: '# only a comment\n' })).rejects.toThrow(/no FROM line/);
  });
});
