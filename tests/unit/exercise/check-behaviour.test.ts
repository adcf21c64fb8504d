// The behaviour-judging parts of the check kinds (issue 13): the whole project (ignored files too),
// what programs print, every answer of a server (bad requests, routes named in the code), the
// mock platform's ledger, and where the program takes its key from. Each with cases it must catch
// and cases it must pass; the leak core is the real one.
import { gzipSync } from 'node:zlib';
import { nodeDecompressors } from '../../../src/engines/local/decompress.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type PlatformHandle } from '../../../src/platform/index.ts';
import { noKeyIn } from '../../../src/lib/exercise/checks/no-key-in.ts';
import { runCheck } from '../../../src/lib/exercise/checks/run.ts';
import { httpProbe } from '../../../src/lib/exercise/checks/http-probe.ts';
import { keyFromEnv } from '../../../src/lib/exercise/checks/key-from-env.ts';
import { declaredRoutes } from '../../../src/lib/exercise/checks/probe-requests.ts';
import { platformMask } from '../../../src/lib/exercise/checks/platform-ledger.ts';
import { maskKey } from '../../../src/platform/keys.ts';
import { FakeEngine } from './fake-engine.ts';
import { ctxFor, key, spec } from './helpers.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const reversed = (s: string) => [...s].reverse().join('');

describe('no-key-in source: the whole project, ignored files too', () => {
  const source = spec({ kind: 'no-key-in', target: 'source' });
  const run = (files: Record<string, string>) => noKeyIn(source, ctxFor(new FakeEngine(files)));
  it('fails for a key moved into a git-ignored source file, in any form', async () => {
    for (const text of [`export default "${key}";`, `atob("${b64(key)}")`, `"${reversed(key)}"`]) {
      const r = await run({ '.gitignore': '.env\nsrc/secret.js\n', '.env': `OPENAI_API_KEY=${key}\n`, 'src/secret.js': text });
      expect(r.status, text.slice(0, 20)).toBe('fail');
      expect(r.message).toContain('src/secret.js');
      expect(r.message).toContain('git ignores that file');
      expect(JSON.stringify(r)).not.toContain(key);
    }
  });
  it('fails for an ignored folder, an ignored example file, and a committed .env', async () => {
    expect((await run({ '.gitignore': 'config/\n', 'config/keys.json': `{"k":"${key}"}` })).status).toBe('fail');
    expect((await run({ '.gitignore': '.env*\n', '.env.example': `OPENAI_API_KEY=${key}\n` })).status).toBe('fail');
    const committed = await run({ '.env': `OPENAI_API_KEY=${key}\n` });
    expect(committed.status).toBe('fail');
    expect(committed.message).toContain('in a file git would commit');
  });
  it('passes with the key only in an ignored .env, .env.local or .env.production', async () => {
    for (const home of ['.env', '.env.local', '.env.production']) {
      expect((await run({ '.gitignore': '.env*\n!.env.example\n', [home]: `OPENAI_API_KEY=${key}\n`, 'index.js': 'new OpenAI()' })).status, home).toBe('pass');
    }
  });
  it('keyHomes declares another home; committedOnly keeps the old reading', async () => {
    const files = { '.gitignore': 'secrets/\n', 'secrets/openai.txt': key };
    expect((await noKeyIn(spec({ kind: 'no-key-in', target: 'source' }), ctxFor(new FakeEngine(files)))).status).toBe('fail');
    expect((await noKeyIn(spec({ kind: 'no-key-in', target: 'source', keyHomes: ['secrets/'] }), ctxFor(new FakeEngine(files)))).status).toBe('pass');
    expect((await noKeyIn(spec({ kind: 'no-key-in', target: 'source', committedOnly: true }), ctxFor(new FakeEngine(files)))).status).toBe('pass');
  });
});

describe('what a program prints', () => {
  const start = spec({ kind: 'run', command: 'npm', args: ['start'], expect: { outputIncludes: ['ok'] } });
  it('fails when the output shows the key, plainly or encoded, and never quotes it', async () => {
    for (const shown of [key, b64(key), `${key.slice(0, 60)}\n${key.slice(60)}`]) {
      const e = new FakeEngine();
      e.onRun = () => ({ output: `ok\nusing key ${shown}\n` });
      const r = await runCheck(start, ctxFor(e));
      expect(r.status).toBe('fail');
      expect(r.message).toContain('printed the key');
      expect(JSON.stringify(r)).not.toContain(key);
    }
  });
  it('passes a program that says only that a key is set', async () => {
    const e = new FakeEngine();
    e.onRun = () => ({ output: `ok\nOPENAI_API_KEY is set (${key.length} characters, ends in …${key.slice(-2)})\n` });
    expect((await runCheck(start, ctxFor(e))).status).toBe('pass');
  });
  it('a failing build that prints the key fails without quoting its log', async () => {
    const e = new FakeEngine();
    e.onRun = () => ({ exitCode: 1, output: `Error: bad config ${JSON.stringify({ env: { OPENAI_API_KEY: key } })}` });
    const r = await noKeyIn(spec({ kind: 'no-key-in', target: 'bundle', build: { command: 'npm', args: ['run', 'build'], outDir: 'dist' } }), ctxFor(e));
    expect(r.message).toContain('printed the key');
    expect(JSON.stringify(r)).not.toContain(key);
  });
});

describe('the mock platform decides whether the program worked', () => {
  let platform: PlatformHandle;
  beforeAll(async () => {
    platform = await startPlatform({ seed: { projects: [{ id: 'proj_course', name: 'Course' }], keys: [{ value: key, projectId: 'proj_course', kind: 'project' }] } });
  });
  afterAll(() => platform.close());
  const access = () => ({ url: platform.url, controlToken: platform.controlToken });
  const call = (k: string) =>
    fetch(`${platform.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    }).then((r) => r.json() as Promise<{ choices?: Array<{ message: { content: string } }> }>);

  it('masks keys as the platform does', () => {
    expect(platformMask(key)).toBe(maskKey(key));
  });

  const works = spec({ kind: 'run', command: 'npm', args: ['start'], expect: { outputIncludes: ['(mock '], platformCall: true } });
  it('fails a program that prints a made-up answer without calling the platform', async () => {
    const e = new FakeEngine();
    e.onRun = () => ({ output: '(mock gpt-4o-mini) You said: hi\n' });
    const r = await runCheck(works, ctxFor(e, { platform: access() }));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('never called the platform');
  });
  it('fails a program whose key is cut short, and says so', async () => {
    const e = new FakeEngine();
    e.onRun = async () => ({ output: JSON.stringify(await call(key.slice(0, -5))) + '(mock ' });
    const r = await runCheck(works, ctxFor(e, { platform: access() }));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('refused the call (401)');
  });
  it('passes a program that really called the platform with the key', async () => {
    const e = new FakeEngine();
    e.onRun = async () => ({ output: (await call(key)).choices![0]!.message.content });
    const r = await runCheck(works, ctxFor(e, { platform: access() }));
    expect(r.status, r.message).toBe('pass');
    expect(r.message).toContain('ledger');
  });

  const fromEnv = spec({ kind: 'key-from-env', command: 'npm', args: ['start'] });
  const envKey = (e: FakeEngine, env?: Record<string, string>) => {
    const text = new TextDecoder().decode(e.files.get('.env') ?? new Uint8Array());
    return /OPENAI_API_KEY=(\S+)/.exec(text)?.[1] ?? env?.OPENAI_API_KEY ?? '';
  };
  const project = () => new FakeEngine({ '.gitignore': '.env\n', '.env': `OPENAI_API_KEY=${key}\n` });
  it('passes a program that reads the key from .env or the environment', async () => {
    for (const read of [(e: FakeEngine) => envKey(e), (_e: FakeEngine, env?: Record<string, string>) => env!.OPENAI_API_KEY!]) {
      const e = project();
      e.onRun = async (_c, _a, eng, o) => ({ output: JSON.stringify(await call(read(eng, o.env))) });
      const r = await keyFromEnv(fromEnv, ctxFor(e, { platform: access() }));
      expect(r.status, r.message).toBe('pass');
      expect(new TextDecoder().decode(e.files.get('.env'))).toBe(`OPENAI_API_KEY=${key}\n`); // put back
    }
  });
  it('fails a program that has the key written in (in any form), or sends a quoted variable name', async () => {
    for (const [name, sent] of [
      ['hard-coded', key],
      ['decoded from base64', Buffer.from(b64(key), 'base64').toString()],
      ['a quoted name', 'process.env.OPENAI_API_KEY'],
    ] as const) {
      const e = project();
      e.onRun = async () => ({ output: JSON.stringify(await call(sent)).slice(0, 40) });
      const r = await keyFromEnv(fromEnv, ctxFor(e, { platform: access() }));
      expect(r.status, name).toBe('fail');
      expect(JSON.stringify(r)).not.toContain(key);
    }
  });
  it('is skipped, never passed, without access to the platform', async () => {
    expect((await keyFromEnv(fromEnv, ctxFor(project()))).status).toBe('skipped');
  });
});

describe('http-probe: every answer, to good and bad requests', () => {
  const probe = spec({
    kind: 'http-probe',
    server: { command: 'npm', args: ['start'] },
    request: { method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' },
    expect: { status: 200, bodyIncludes: ['reply'] },
  });
  const server = (files: Record<string, string>, handler: (url: string, method: string, body: string) => [number, string, Record<string, string>?]) => {
    const e = new FakeEngine(files);
    e.onServer = (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const [status, text, headers] = handler(req.url ?? '/', req.method ?? 'GET', body);
        res.writeHead(status, headers ?? {}).end(text);
      });
    };
    return e;
  };
  const good = (url: string, method: string, body: string): [number, string] | null => {
    if (url === '/api/chat' && method === 'POST') {
      try {
        return [200, JSON.stringify({ reply: `echo ${JSON.parse(body).message}` })];
      } catch {
        return null;
      }
    }
    return null;
  };

  it('fails when only an error answer (malformed JSON) carries the key', async () => {
    const e = server({}, (u, m, b) => good(u, m, b) ?? [400, JSON.stringify({ error: 'bad', config: { apiKey: key } })]);
    const r = await httpProbe(probe, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/malformed JSON|empty body|wrong/);
  });
  it('fails when a route named in the code (not the probed one) returns the environment or the key', async () => {
    for (const [file, route] of [
      ['server.js', "if (req.url === '/api/config') return send(process.env)"],
      ['src/main.js', 'const { key } = await (await fetch(`/api/key`)).json()'],
      ['server.ts', "app.get('/debug/:name', …)"],
    ] as const) {
      const path = /['`](\/[a-z/]+)/.exec(route)![1]!;
      const e = server({ [file]: route }, (u, m, b) => good(u, m, b) ?? (u.startsWith(path) ? [200, JSON.stringify({ OPENAI_API_KEY: key })] : [404, 'no']));
      const r = await httpProbe(probe, ctxFor(e));
      expect(r.status, file).toBe('fail');
      expect(r.message).toContain(path);
    }
  });
  it('fails when the server serves the project folder: GET /.env answers with the key', async () => {
    const e = server({}, (u, m, b) => good(u, m, b) ?? (u === '/.env' ? [200, `OPENAI_API_KEY=${key}\n`] : [404, 'no']));
    const r = await httpProbe(probe, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('/.env');
  });
  it('fails when the server writes the key into the page it serves at /', async () => {
    const e = server({}, (u, m, b) => good(u, m, b) ?? (u === '/' && m === 'GET' ? [200, `<script>window.__ENV__ = {"OPENAI_API_KEY":"${key}"}</script>`] : [404, 'no']));
    const r = await httpProbe(probe, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('GET /');
  });
  it('fails when the server prints the key (a request log with the Authorization header)', async () => {
    const e = server({}, (u, m, b) => good(u, m, b) ?? [404, 'no']);
    e.serverOutput = `POST /v1/chat/completions authorization: Bearer ${key}\n`;
    const r = await httpProbe(probe, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('printed the key');
  });
  it('fails when the server prints the key gzip-compressed and base64-encoded (with the engine\'s decompressors)', async () => {
    const e = server({}, (u, m, b) => good(u, m, b) ?? [404, 'no']);
    e.serverOutput = `key fingerprint ${gzipSync(key).toString('base64')}\n`;
    const r = await httpProbe(probe, ctxFor(e, { decompress: nodeDecompressors }));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('printed the key');
  });
  it('passes a server that answers bad requests with errors that hold no key', async () => {
    const e = server({ 'server.js': "'/api/chat' '/health'" }, (u, m, b) => good(u, m, b) ?? [400, '{"error":"Send JSON like {\\"message\\":\\"…\\"}"}']);
    const r = await httpProbe(probe, ctxFor(e));
    expect(r.status, r.message).toBe('pass');
    expect(r.message).toContain('bad requests');
  });
  it('keeps probing after a bad request killed the server', async () => {
    let alive = true;
    let starts = 0;
    const e = new FakeEngine({ 'server.js': "'/api/env'" });
    e.onServer = (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (!alive) return void req.socket.destroy(); // a dead server answers nothing
        if (body === '{"message": ') alive = false; // the crash: malformed JSON
        const answer = good(req.url ?? '/', req.method ?? 'GET', body) ?? (req.url?.startsWith('/api/env') ? [200, key] : [404, 'no']);
        res.writeHead(answer[0]).end(answer[1]);
      });
    };
    const start = e.startServer.bind(e);
    e.startServer = async (c, a, o) => ((alive = true), starts++, start(c, a, o));
    const r = await httpProbe(probe, ctxFor(e));
    expect(starts).toBeGreaterThan(1);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('/api/env');
  });
  it('shows what the server printed next to the check when the good request gets a 5xx', async () => {
    const e = server({}, () => [500, '{"error":"Internal error"}']);
    e.serverOutput = 'ReferenceError: readJson is not defined\n    at chat (server.js:22:16)\n';
    const r = await httpProbe(probe, ctxFor(e));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('answered with status 500');
    expect(r.message).toContain('ReferenceError: readJson is not defined');
  });
  it('reads route-like literals from code files, not from node_modules or dist', async () => {
    const e = new FakeEngine({
      'server.js': "if (url === '/api/chat') …; app.get('/api/users/:id'); fetch(`/api/key/${id}`)",
      'node_modules/x/index.js': "'/internal'",
      'dist/assets/a.js': "'/built'",
      'README.md': "'/docs'",
    });
    expect(await declaredRoutes(e.fs)).toEqual(['/api/chat', '/api/key/', '/api/users/1']);
  });
});
