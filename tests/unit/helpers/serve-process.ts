// Starts scripts/serve.mjs as `npm start` does (a real process on a real port) and signs in with
// the one-time link it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { signIn } from './sign-in.ts';

export interface Served {
  child: ChildProcess;
  port: number;
  /** The first one-time sign-in link it printed. */
  link: string;
  output: () => string;
  stop(): Promise<void>;
}

export async function startServe(dir: string, env: Record<string, string | undefined> = {}, args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0', '--dir', dir, ...args], {
    env: { ...process.env, LEAKPROOF_LESSONS_DIR: 'tests/fixtures/exercises/security', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const { port, link } = await new Promise<{ port: number; link: string }>((resolve, reject) => {
    const look = () => {
      const m = /(http:\/\/localhost:(\d+)\/__engine\/login\?token=\S+)/.exec(out);
      if (m) resolve({ port: Number(m[2]), link: m[1]! });
    };
    child.stdout!.on('data', look);
    child.once('exit', () => reject(new Error(`serve.mjs exited: ${out}`)));
  });
  return {
    child,
    port,
    link,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export { signIn };

/** A raw GET: the path goes on the wire exactly as written (fetch would normalise it). */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { host: `localhost:${port}`, ...headers }, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
