// Each form × the git, docker and image targets, through auditKey() with the real key finder:
// cases each target must catch, and cases it must let pass (gitleaks-style named tables).
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { packTar } from 'modern-tar';
import { auditKey, maskKey } from '../../../src/lib/leak/index.ts';
import type { Target } from '../../../src/lib/leak/types.ts';
import { nodeReadonlyFs, nodeDecompressors } from '../../../src/node/fs-node.ts';
import { fakeKey, tempDir } from './helpers-h3b.ts';

const KEY = fakeKey();
const OTHER = fakeKey();
type Files = Record<string, string | Uint8Array>;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const rot13 = (s: string) => s.replace(/[A-Za-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - (c <= 'Z' ? 65 : 97) + 13) % 26) + (c <= 'Z' ? 65 : 97)));
const half = Math.floor(KEY.length / 2);

const catches: Array<[string, Files]> = [
  ['plain', { 'leak.txt': `OPENAI_API_KEY=${KEY}\n` }],
  ['base64', { 'leak.txt': `k = atob("${b64(KEY)}")` }],
  ['base64 at another alignment', { 'leak.txt': `blob: ${b64('xy' + KEY + 'z')}` }],
  ['base64url', { 'leak.txt': Buffer.from('=' + KEY).toString('base64url') }],
  ['hex', { 'leak.txt': Buffer.from(KEY).toString('hex') }],
  ['percent-encoding', { 'leak.txt': encodeURIComponent(KEY).replace(/[A-Za-z0-9]/g, (c) => '%' + c.charCodeAt(0).toString(16)) }],
  ['\\u escapes', { 'leak.txt': [...KEY].map((c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join('') }],
  ['HTML entities', { 'leak.html': [...KEY].map((c) => `&#${c.charCodeAt(0)};`).join('') }],
  ['reversed', { 'leak.txt': [...KEY].reverse().join('') }],
  ['ROT13', { 'leak.txt': rot13(KEY) }],
  ['char codes', { 'leak.js': `String.fromCharCode(${[...KEY].map((c) => c.charCodeAt(0)).join(',')})` }],
  ['UTF-16LE', { 'leak.txt': new Uint8Array(Buffer.from(KEY, 'utf16le')) }],
  ['gzip file', { 'leak.txt.gz': new Uint8Array(gzipSync(`OPENAI_API_KEY=${KEY}\n`)) }],
  ['concatenated pieces', { 'leak.js': `const k = "${KEY.slice(0, 60)}" + "${KEY.slice(60, 120)}" + "${KEY.slice(120)}";` }],
  ['fragments across two files', { 'a.js': `export const a = "${KEY.slice(0, half)}";`, 'b.js': `export const b = "${KEY.slice(half)}";` }],
];

const passes: Array<[string, Files]> = [
  ['another key with the same prefix', { 'leak.txt': `OPENAI_API_KEY=${OTHER}\n` }],
  ['a hash of the key', { 'leak.txt': createHash('sha256').update(KEY).digest('hex') }],
  ['the masked key', { 'leak.txt': `seen ${maskKey(KEY)}` }],
  ['only the variable name', { 'leak.txt': 'const key = process.env.OPENAI_API_KEY;' }],
  ['a short piece of the key', { 'leak.txt': KEY.slice(0, 30) }],
];

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd, stdio: 'pipe' });

function write(root: string, files: Files) {
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
}

/** Each target's fixture: the files reach it the way that target leaks them. */
const fixtures: Record<'git' | 'docker' | 'image', (files: Files) => Promise<{ root: string; dir: string }>> = {
  // Committed, then deleted: only history has it.
  async git(files) {
    const d = tempDir('fgit');
    write(d, { 'README.md': 'x' });
    git(d, 'init', '-q', '-b', 'main');
    git(d, 'add', '.');
    git(d, 'commit', '-q', '-m', 'init');
    write(d, files);
    git(d, 'add', '.');
    git(d, 'commit', '-q', '-m', 'add');
    git(d, 'rm', '-q', '-r', ...Object.keys(files));
    git(d, 'commit', '-q', '-m', 'remove');
    return { root: d, dir: '' };
  },
  // In the build context, copied by COPY . . into the final image.
  async docker(files) {
    const d = tempDir('fdocker');
    write(d, { ...files, Dockerfile: 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\n' });
    return { root: d, dir: '' };
  },
  // In a layer of a docker save tarball, deleted by a later layer's whiteouts.
  async image(files) {
    const entries = (f: Files) =>
      Object.entries(f).map(([name, body]) => {
        const b = typeof body === 'string' ? new TextEncoder().encode(body) : body;
        return { header: { name, size: b.length, type: 'file' as const }, body: b };
      });
    const l1 = await packTar(entries(files));
    const l2 = await packTar(entries(Object.fromEntries(Object.keys(files).map((k) => [`.wh.${k}`, '']))));
    const cfg = JSON.stringify({ config: { Env: ['A=1'] }, history: [{ created_by: 'COPY . .' }, { created_by: 'RUN rm' }] });
    const tar = await packTar(entries({ 'l1/layer.tar': l1, 'l2/layer.tar': l2, 'c.json': cfg, 'manifest.json': '[{"Config":"c.json","Layers":["l1/layer.tar","l2/layer.tar"]}]' }));
    const d = tempDir('fimage');
    writeFileSync(join(d, 'image.tar'), tar);
    return { root: d, dir: 'image.tar' };
  },
};

for (const target of ['git', 'docker', 'image'] as const) {
  describe(`${target} target × forms (real key finder)`, () => {
    const run = async (files: Files) => {
      const { root, dir } = await fixtures[target](files);
      return auditKey({ key: KEY, target: target as Target, fs: nodeReadonlyFs(root), dir, decompress: nodeDecompressors });
    };
    for (const [name, files] of catches) {
      it(`catches ${name}`, async () => {
        const r = await run(files);
        expect(r.leak).toBe(true);
        expect(r.findings.every((f) => f.target === target)).toBe(true);
        if (target === 'git') expect(r.findings.some((f) => f.commit)).toBe(true);
        if (target === 'image') expect(r.findings.some((f) => f.layer === 'l1/layer.tar')).toBe(true);
        expect(JSON.stringify(r)).not.toContain(KEY);
      });
    }
    for (const [name, files] of passes) {
      it(`passes ${name}`, async () => {
        const r = await run(files);
        expect(r.findings).toEqual([]);
      });
    }
  });
}
