// The real CLI as a child process: exit codes, --json last line, error wording, and that the key is
// never printed. Every target is exercised once through auditKey() with the real key finder.
import { describe, it, expect } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packTar } from 'modern-tar';
import { fakeKey, tempDir, randomChars } from './helpers-h3b.ts';

const BIN = resolve(__dirname, '../../../bin/leakproof.mjs');
const KEY = fakeKey();
const M = 'T3Blbk' + 'FJ';
const REAL_SHAPED = `sk-proj-${randomChars(74)}${M}${randomChars(74)}`;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  const lines = r.stdout.trim().split('\n');
  let json: { leak?: boolean; findings?: Array<Record<string, unknown>>; error?: string } | undefined;
  try {
    json = JSON.parse(lines[lines.length - 1]);
  } catch {
    json = undefined;
  }
  return { code: r.status, out: r.stdout, err: r.stderr, json };
}

function project(files: Record<string, string | Uint8Array>): string {
  const d = tempDir('cli');
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), typeof c === 'string' ? c.replaceAll('$KEY', KEY).replaceAll('$REAL', REAL_SHAPED) : c);
  }
  return d;
}
const keyFile = (content = KEY + '\n') => {
  const d = tempDir('key');
  writeFileSync(join(d, 'key.txt'), content);
  return join(d, 'key.txt');
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd, stdio: 'pipe' });

function repoWithHistoryLeak(): string {
  const d = project({ 'app.js': 'process.env.OPENAI_API_KEY', '.env': 'OPENAI_API_KEY=$KEY\n' });
  git(d, 'init', '-q', '-b', 'main');
  git(d, 'add', '.');
  git(d, 'commit', '-q', '-m', 'first');
  git(d, 'rm', '-q', '--cached', '.env');
  writeFileSync(join(d, '.gitignore'), '.env\n');
  git(d, 'add', '.gitignore');
  git(d, 'commit', '-q', '-m', 'ignore env');
  git(d, 'gc', '-q');
  return d;
}

describe('leakproof audit', () => {
  it('git: finds the key in history (base64 form too), exit 1, JSON last line, key never printed', () => {
    const d = repoWithHistoryLeak();
    writeFileSync(join(d, 'b64.txt'), Buffer.from(KEY).toString('base64'));
    git(d, 'add', 'b64.txt');
    git(d, 'commit', '-q', '-m', 'b64');
    git(d, 'rm', '-q', 'b64.txt');
    git(d, 'commit', '-q', '-m', 'drop b64');
    const r = cli('audit', d, '--key-file', keyFile(), '--target', 'git', '--json');
    expect(r.code).toBe(1);
    expect(r.json?.leak).toBe(true);
    const files = r.json!.findings!.map((f) => `${f.file}:${f.form}`).sort();
    expect(files).toEqual(['.env:plain', 'b64.txt:base64']);
    expect(r.json!.findings![0].commit).toMatch(/^[0-9a-f]{40}$/);
    expect(r.out + r.err).not.toContain(KEY);
    // …while the source target is clean: .env is ignored now.
    const s = cli('audit', d, '--key-file', keyFile(), '--target', 'source', '--json');
    expect([s.code, s.json]).toEqual([0, { leak: false, findings: [] }]);
  });

  it('human output says where, in what form, masked, and what to do', () => {
    const d = repoWithHistoryLeak();
    const r = cli('audit', d, '--key-file', keyFile(), '--target', 'git');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\.env:1:16 \(commit [0-9a-f]{10}\)/);
    expect(r.out).toMatch(/form: plain text/);
    expect(r.out).toMatch(/What to do:/);
    expect(r.out).toMatch(/Revoke\/rotate/);
    expect(r.out).not.toContain(KEY);
  });

  it('docker: COPY . . without .dockerignore, then fixed', () => {
    const d = project({ '.env': 'OPENAI_API_KEY=$KEY\n', 'server.js': '1', Dockerfile: 'FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["node","server.js"]\n' });
    const r = cli('audit', d, '--key-file', keyFile(), '--target', 'docker', '--json');
    expect(r.code).toBe(1);
    expect(r.json!.findings!.map((f) => f.file)).toEqual(['.env']);
    writeFileSync(join(d, '.dockerignore'), '.env\n');
    expect(cli('audit', d, '--key-file', keyFile(), '--target', 'docker', '--json').code).toBe(0);
  });

  it('image: a docker save tarball (file path), gzip layer, key in config Env', async () => {
    const layer = await packTar([{ header: { name: 'app/.env', size: KEY.length, type: 'file' }, body: KEY }]);
    const cfg = JSON.stringify({ config: { Env: [`OPENAI_API_KEY=${KEY}`] }, history: [{ created_by: 'COPY . /app' }] });
    const entry = (name: string, body: Uint8Array | string) => {
      const b = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      return { header: { name, size: b.length, type: 'file' as const }, body: b };
    };
    const tar = await packTar([
      entry('l1/layer.tar', new Uint8Array(gzipSync(layer))),
      entry('c.json', cfg),
      entry('manifest.json', '[{"Config":"c.json","Layers":["l1/layer.tar"]}]'),
    ]);
    const d = project({ 'image.tar': tar });
    const r = cli('audit', join(d, 'image.tar'), '--key-file', keyFile(), '--target', 'image', '--json');
    expect(r.code).toBe(1);
    expect(r.json!.findings!.map((f) => f.file).sort()).toEqual(['app/.env', 'image config Env[0]']);
    expect(r.json!.findings!.find((f) => f.file === 'app/.env')!.layer).toBe('l1/layer.tar');
  });

  it('reads the key from a .env-style key file', () => {
    const d = project({ 'a.js': 'const k = "$KEY"' });
    const r = cli('audit', d, '--key-file', keyFile(`# planted\nOPENAI_API_KEY="${KEY}"\nOTHER=1\n`), '--json');
    expect([r.code, r.json?.leak]).toEqual([1, true]);
  });

  const bad: Array<[string, () => string[], RegExp]> = [
    ['a missing folder', () => ['audit', '/nonexistent/h3b', '--key-file', keyFile(), '--target', 'source'], /does not exist/],
    ['a missing --key-file', () => ['audit', tempDir('x')], /Missing --key-file/],
    ['an unreadable key file', () => ['audit', tempDir('x'), '--key-file', '/nonexistent/key.txt'], /key file "\/nonexistent\/key\.txt" does not exist/],
    ['an empty key file', () => ['audit', tempDir('x'), '--key-file', keyFile('\n\n')], /is empty/],
    ['a key file that holds no key', () => ['audit', tempDir('x'), '--key-file', keyFile('hello world\n')], /does not hold a key/],
    ['a key file with many lines and no OPENAI_API_KEY', () => ['audit', tempDir('x'), '--key-file', keyFile('a\nb\nc\n')], /no OPENAI_API_KEY/],
    ['an unknown target', () => ['audit', tempDir('x'), '--key-file', keyFile(), '--target', 'cloud'], /Unknown target "cloud": use one of source, bundle, git, docker, image/],
    ['a folder that is not a git repository', () => ['audit', tempDir('x'), '--key-file', keyFile(), '--target', 'git'], /is not a git repository/],
    ['a truncated tar', () => ['audit', join(project({ 'i.tar': new Uint8Array(700).fill(65) }), 'i.tar'), '--key-file', keyFile(), '--target', 'image'], /not a tar archive/],
    ['a file where a folder is needed', () => ['audit', keyFile(), '--key-file', keyFile(), '--target', 'source'], /is a file, not a folder/],
    ['an unknown option', () => ['audit', tempDir('x'), '--key-file', keyFile(), '--colour'], /Unknown option '--colour'/],
    ['no folder at all', () => ['audit', '--key-file', keyFile()], /Missing the folder/],
  ];
  for (const [name, args, msg] of bad) {
    it(`exit 2 with a clear message for ${name}`, () => {
      const r = cli(...args());
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
    });
  }

  it('exit 2 for a corrupt tarball, and --json still ends with one JSON object', async () => {
    const layer = await packTar([{ header: { name: 'big.bin', size: 8000, type: 'file' }, body: new Uint8Array(8000).fill(66) }]);
    const good = await packTar([{ header: { name: 'x/layer.tar', size: layer.length, type: 'file' }, body: layer }, { header: { name: 'manifest.json', size: 2, type: 'file' }, body: '[]' }]);
    const d = project({ 'i.tar': good.slice(0, 4096) });
    const r = cli('audit', join(d, 'i.tar'), '--key-file', keyFile(), '--target', 'image', '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/corrupt or truncated/);
    expect(r.json?.error).toMatch(/corrupt or truncated/);
  });

  it('--help exits 0', () => {
    const r = cli('audit', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--key-file/);
  });
});

describe('leakproof scan', () => {
  it('finds a real-shaped key in source and in git history; passes placeholders', () => {
    const d = project({ 'a.js': `const k = "$REAL";\n`, 'README.md': 'OPENAI_API_KEY=sk-proj-xxxxxxxx… or <your key>\n' });
    git(d, 'init', '-q', '-b', 'main');
    git(d, 'add', '.');
    git(d, 'commit', '-q', '-m', 'x');
    const r = cli('scan', d, '--json');
    expect(r.code).toBe(1);
    expect(r.json!.findings!.map((f) => `${f.target}:${f.file}:${f.rule}`).sort()).toEqual(['git:a.js:openai-project-key', 'source:a.js:openai-project-key']);
    expect(r.out).not.toContain(REAL_SHAPED);
  });

  it('is clean on a project with only placeholders and other vendors’ keys', () => {
    const d = project({ '.env.example': 'OPENAI_API_KEY=sk-proj-...\nSTRIPE=sk_live_' + randomChars(40) + '\n', 'a.js': `"sk-ant-api03-${randomChars(93)}AA"` });
    const r = cli('scan', d, '--json');
    expect([r.code, r.json]).toEqual([0, { leak: false, findings: [] }]);
    expect(cli('scan', d).out).toMatch(/No OpenAI keys found/);
  });

  it('--target docker finds a literal key in a compose file', () => {
    const d = project({ 'compose.yaml': 'services:\n  web:\n    environment:\n      OPENAI_API_KEY: $REAL\n' });
    const r = cli('scan', d, '--target', 'docker', '--json');
    expect(r.code).toBe(1);
    expect(r.json!.findings![0]).toMatchObject({ file: 'compose.yaml', rule: 'openai-project-key', line: 4 });
  });

  it('exit 2 for a missing folder and an unknown target', () => {
    expect(cli('scan', '/nonexistent/h3b').code).toBe(2);
    const r = cli('scan', tempDir('x'), '--target', 'nope');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown target "nope"/);
  });
});
