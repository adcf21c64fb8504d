// Issue 12, items 5 and 10: a learner program that leaves its process group (setsid, a detached
// spawn) still ends with the session, and in the bubblewrap sandbox (LEAKPROOF_SANDBOX=bwrap) it
// sees no home directory, no process outside the sandbox and nothing of the server's environment.
// Real processes: the pids come from the learner program itself and are checked in /proc.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { NodeEngine } from '../../src/engines/local/node-engine.ts';
import { bwrapProblem } from '../../src/engines/local/sandbox.ts';
import { alive } from './helpers/process-alive.ts';

const hasSetsid = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v setsid'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

// Three ways out of the process group: setsid(1), spawn({ detached: true }), and a double fork
// through a detached shell. Each prints its pid, then the program waits for ever.
const ESCAPE = `import { spawn } from 'node:child_process';
const loop = ['-e', 'setInterval(() => {}, 1000)'];
const a = spawn('setsid', [process.execPath, ...loop], { stdio: 'ignore' });
const b = spawn(process.execPath, loop, { detached: true, stdio: 'ignore' });
b.unref();
const c = spawn('sh', ['-c', process.execPath + " -e 'setInterval(() => {}, 1000)' >/dev/null 2>&1 & echo $!"], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
c.stdout.once('data', (d) => {
  console.log('PIDS ' + [a.pid, b.pid, Number(String(d).trim())].join(' '));
});
setInterval(() => {}, 1000);`;

const engines: NodeEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
});

async function startEscapes(engine: NodeEngine): Promise<{ pids: number[]; done: Promise<unknown> }> {
  await engine.mount({ 'escape.mjs': ESCAPE });
  let out = '';
  const done = engine.run('node', ['escape.mjs'], { timeoutMs: 60_000, onOutput: (t) => (out += t) });
  const until = Date.now() + 20_000;
  let m: RegExpExecArray | null = null;
  while (!(m = /PIDS (\d+) (\d+) (\d+)/.exec(out)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  expect(m, `the program printed: ${out}`).not.toBeNull();
  // Let the sandboxed ones settle (bwrap prints pids of its own namespace: checked differently).
  return { pids: m!.slice(1).map(Number), done };
}

describe.skipIf(!hasSetsid || process.platform !== 'linux')('processes that leave their group', () => {
  it('end when the session stops (stopAll), however they detached', async () => {
    const engine = await NodeEngine.create({ sandbox: 'none' });
    engines.push(engine);
    const { pids, done } = await startEscapes(engine);
    expect(pids.every(alive)).toBe(true);
    await engine.stopAll();
    await done;
    const until = Date.now() + 3000;
    while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(alive)).toEqual([]);
  }, 60_000);

  it('end at a time limit', async () => {
    const engine = await NodeEngine.create({ sandbox: 'none' });
    engines.push(engine);
    await engine.mount({ 'escape.mjs': ESCAPE });
    let out = '';
    const r = await engine.run('node', ['escape.mjs'], { timeoutMs: 2500, onOutput: (t) => (out += t) });
    expect(r.timedOut).toBe(true);
    const pids = /PIDS (\d+) (\d+) (\d+)/.exec(out)!.slice(1).map(Number);
    // run() ends the command's group; the session ends the rest when the check finishes.
    await engine.stopAll();
    const until = Date.now() + 3000;
    while (pids.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(alive)).toEqual([]);
  }, 60_000);
});

const noBwrap = bwrapProblem();
describe.skipIf(noBwrap !== null)(`the bubblewrap sandbox (LEAKPROOF_SANDBOX=bwrap)${noBwrap ? `: skipped, ${noBwrap}` : ''}`, () => {
  it('ends every process in it, however it detached', async () => {
    const engine = await NodeEngine.create({ sandbox: 'bwrap' });
    engines.push(engine);
    await engine.mount({ 'escape.mjs': ESCAPE });
    // Pids inside the sandbox are its own namespace's: find the host pids by the session marker.
    let out = '';
    const done = engine.run('node', ['escape.mjs'], { timeoutMs: 60_000, onOutput: (t) => (out += t) });
    const until = Date.now() + 20_000;
    while (!/PIDS/.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/PIDS \d+ \d+ \d+/);
    const { markedProcesses } = await import('../../src/engines/local/processes.ts');
    const host = markedProcesses((v) => v === engine.marker).map((p) => p.pid);
    expect(host.length).toBeGreaterThanOrEqual(4); // the program and its three escapes
    await engine.stopAll();
    await done;
    const end = Date.now() + 3000;
    while (host.some(alive) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(host.filter(alive)).toEqual([]);
  }, 60_000);

  it("hides the home directory, every process outside, and the server's environment", async () => {
    process.env.LP_SANDBOX_SECRET = 'server-secret-' + 'q'.repeat(12);
    try {
      const engine = await NodeEngine.create({ sandbox: 'bwrap' });
      engines.push(engine);
      const probe = `import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
const pids = readdirSync('/proc').filter((n) => /^\\d+$/.test(n));
let environs = '';
for (const p of pids) { try { environs += readFileSync('/proc/' + p + '/environ', 'latin1'); } catch {} }
let parent = '';
try { parent = readFileSync('/proc/' + process.ppid + '/environ', 'latin1'); } catch (e) { parent = 'unreadable'; }
console.log(JSON.stringify({ pids: pids.length, secret: environs.includes(process.argv[2]) || parent.includes(process.argv[2]), homeFile: existsSync(process.argv[3]), homeDir: process.env.HOME }));`;
      await engine.mount({ 'probe.mjs': probe });
      // A file in the user's real home directory (think ~/.aws/credentials, ~/.npmrc).
      const homeFile = join(homedir(), `.leakproof-sandbox-test-${process.pid}`);
      writeFileSync(homeFile, 'private');
      let r;
      try {
        r = await engine.run('node', ['probe.mjs', process.env.LP_SANDBOX_SECRET!, homeFile]);
      } finally {
        rmSync(homeFile, { force: true });
      }
      expect(r.exitCode, r.output).toBe(0);
      const seen = JSON.parse(r.output.trim().split('\n').at(-1)!);
      expect(seen.secret).toBe(false);
      expect(seen.pids).toBeLessThan(5); // bwrap's init and the program: nothing of the machine
      expect(seen.homeFile).toBe(false);
      expect(seen.homeDir).not.toBe(homedir());
      // …while the project itself still works: write a file and read it back.
      const w = await engine.run('node', ['-e', "require('fs').writeFileSync('out.txt', 'ok'); console.log(require('fs').readFileSync('out.txt', 'utf8'))"]);
      expect(w.output.trim()).toBe('ok');
    } finally {
      delete process.env.LP_SANDBOX_SECRET;
    }
  }, 60_000);
});

describe('asking for a sandbox that cannot run', () => {
  it('is an error that says what to install, never a silent fallback', async () => {
    const { sandboxFromEnv } = await import('../../src/engines/local/sandbox.ts');
    expect(() => sandboxFromEnv('docker')).toThrow(/bwrap/);
    expect(sandboxFromEnv('')).toBe('none');
  });
});
