// `npm start`'s server (scripts/serve.mjs) embeds the token in its pages, and when it stops, every
// process an exercise started stops with it.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive } from './helpers/process-alive.ts';
import { signIn } from './helpers/sign-in.ts';

let cookie = '';

function post(port: number, path: string, token: string, body: unknown, onData?: (t: string) => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'x-leakproof-token': token, origin: `http://127.0.0.1:${port}`, cookie } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
          onData?.(text);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}


describe('scripts/serve.mjs', () => {
  it('puts the token in its pages and stops every exercise process when it stops', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'lp-serve-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><title>t</title></head><body>hi</body></html>');
    const server = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0', '--dir', dist], {
      env: { ...process.env, LEAKPROOF_LESSONS_DIR: 'tests/fixtures/exercises/security' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    try {
      const { port, link } = await new Promise<{ port: number; link: string }>((resolve, reject) => {
        let out = '';
        server.stdout!.on('data', (c) => {
          out += c;
          const m = /(http:\/\/localhost:(\d+)\/__engine\/login\?token=\S+)/.exec(out);
          if (m) resolve({ port: Number(m[2]), link: m[1]! });
        });
        server.once('exit', () => reject(new Error(`serve.mjs exited: ${out}`)));
      });
      // Without signing in, the page carries no token.
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).not.toContain('leakproof-engine-token"');
      cookie = await signIn(link);
      const html = await (await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie } })).text();
      const token = /name="leakproof-engine-token" content="([^"]+)"/.exec(html)?.[1];
      expect(token).toBeTruthy();
      // DNS rebinding: the same page asked for under another name carries no token.
      const rebound = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/', headers: { host: `attacker.example:${port}` } }, (res) => {
          let t = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (t += c));
          res.on('end', () => resolve(t));
        })
          .on('error', reject)
          .end();
      });
      expect(rebound).toContain('<body>hi</body>');
      expect(rebound).not.toContain('leakproof-engine-token');
      const { id } = JSON.parse((await post(port, '/__engine/sessions', token!, { chapter: '1' })).body);
      let pids: number[] = [];
      const files = { 'env.mjs': '', 'forever.mjs': readFileSync('tests/fixtures/exercises/security/01-processes/exercise/files/forever.mjs', 'utf8') };
      const check = post(port, `/__engine/sessions/${id}/check`, token!, { files, key: `sk-proj-${'a'.repeat(156)}` }, (t) => {
        const m = /started (\d+) (\d+)/.exec(t);
        if (m) pids = [Number(m[1]), Number(m[2])];
      }).catch(() => null);
      const end = Date.now() + 20_000;
      while (pids.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(pids.every(alive)).toBe(true);
      server.kill('SIGTERM');
      await exited;
      await check;
      const until = Date.now() + 5000;
      while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  }, 60_000);
});
