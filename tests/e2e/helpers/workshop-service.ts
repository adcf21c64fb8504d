// Starts the real `leakproof workshop` command for an end-to-end test and reads what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface RunningWorkshop {
  proc: ChildProcess;
  /** The service's own address. */
  url: string;
  facilitatorUrl: string;
  code: string;
  /** The room's public key that signs its completion records. */
  recordsKey: string;
  output: () => string;
  stop(): Promise<void>;
}

export async function startWorkshop(args: string[]): Promise<RunningWorkshop> {
  const root = join(import.meta.dirname, '..', '..', '..');
  const proc = spawn(process.execPath, [join(root, 'bin', 'leakproof.mjs'), 'workshop', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const started = Date.now();
  while (!/Press Ctrl\+C/.test(out)) {
    if (proc.exitCode !== null) throw new Error(`leakproof workshop exited (${proc.exitCode}):\n${out}`);
    if (Date.now() - started > 60_000) throw new Error(`leakproof workshop did not start in 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const facilitatorUrl = /facilitator +(http\S+)/.exec(out)![1]!;
  return {
    proc,
    url: new URL(facilitatorUrl).origin,
    facilitatorUrl,
    code: /room code +([A-Z0-9]{6})/.exec(out)![1]!,
    recordsKey: /records key +(ed25519:\S+)/.exec(out)![1]!,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
