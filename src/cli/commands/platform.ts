// `leakproof platform`: start the mock OpenAI platform by hand, print its base URL, control token
// and keys, and stop cleanly on Ctrl+C / SIGTERM.
import { readFile } from 'node:fs/promises';
import { startPlatform, parseSeed, defaultSeed, maskKey, type Seed, type PlatformHandle } from '../../platform/index.ts';

export const usage = `Usage: leakproof platform [--port 4010] [--host 127.0.0.1] [--seed <file.json>] [--control-token <token>]

Starts the Leakproof mock OpenAI platform (OpenAI-compatible API, Admin API subset, course
controls) and prints its base URL. Point an app at it with OPENAI_BASE_URL=<base URL>.

Options:
  --port <n>             port to listen on (default 4010; 0 picks a free port)
  --host <address>       address to bind (default 127.0.0.1: this machine only)
  --seed <file.json>     projects and keys to start with:
                         {"projects":[{"id","name","allowedModels"?,"spendLimitUsd"?}],
                          "keys":[{"value","projectId"?,"kind":"project"|"service_account"|"admin",
                                   "status"?,"scopes"?,"expiresAt"?}]}
                         Without it: one project with a fresh project key and admin key.
  --control-token <t>    token for /__platform/ course controls (default: random)

Stop it with Ctrl+C.`;

interface Args {
  port: number;
  host: string;
  seedFile: string | null;
  controlToken: string | undefined;
}

function parseArgs(args: string[]): Args | string {
  const out: Args = { port: 4010, host: '127.0.0.1', seedFile: null, controlToken: undefined };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--port') {
      const v = value();
      const n = Number(v);
      if (!v || !Number.isInteger(n) || n < 0 || n > 65535) return `--port needs a port number from 0 to 65535 (got ${v ?? 'nothing'}).`;
      out.port = n;
    } else if (flag === '--host') {
      const v = value();
      if (!v) return '--host needs an address, e.g. 127.0.0.1.';
      out.host = v;
    } else if (flag === '--seed') {
      const v = value();
      if (!v) return '--seed needs a JSON file, e.g. --seed platform-seed.json.';
      out.seedFile = v;
    } else if (flag === '--control-token') {
      const v = value();
      if (!v) return '--control-token needs a value.';
      out.controlToken = v;
    } else return `Unknown option "${a}".`;
  }
  return out;
}

async function loadSeed(file: string): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the seed file ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`The seed file ${file} is not valid JSON: ${(e as Error).message}.`);
  }
  return parseSeed(json);
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    console.error(`leakproof platform: ${parsed}\n\n${usage}`);
    return 2;
  }
  let seed: Seed;
  try {
    seed = parsed.seedFile ? await loadSeed(parsed.seedFile) : defaultSeed();
  } catch (e) {
    console.error(`leakproof platform: ${(e as Error).message}`);
    return 2;
  }
  let platform: PlatformHandle;
  try {
    platform = await startPlatform({ seed, port: parsed.port, host: parsed.host, controlToken: parsed.controlToken });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    console.error(
      err.code === 'EADDRINUSE'
        ? `leakproof platform: port ${parsed.port} is already in use. Pick another with --port, or --port 0 for any free port.`
        : `leakproof platform: could not start: ${err.message}`,
    );
    return 1;
  }

  const lines = [
    'Leakproof mock OpenAI platform',
    `  base URL       ${platform.baseURL}     (OPENAI_BASE_URL)`,
    `  control token  ${platform.controlToken}     (Authorization: Bearer … on ${platform.url}/__platform/)`,
  ];
  if (parsed.seedFile) {
    lines.push(`  seed           ${parsed.seedFile}: ${seed.projects.length} project(s), ${seed.keys.length} key(s)`);
    for (const k of seed.keys) lines.push(`    ${k.kind.padEnd(15)} ${maskKey(k.value)}${k.status === 'revoked' ? ' (revoked)' : ''}`);
  } else {
    // Fresh fake keys made for this run: printing them is how you use them.
    for (const k of seed.keys) lines.push(`  ${k.kind === 'admin' ? 'admin key    ' : 'project key  '}  ${k.value}`);
  }
  lines.push('Press Ctrl+C to stop.');
  console.log(lines.join('\n'));

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (s: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(s);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await platform.close();
  console.log(`Platform stopped (${signal}); ${platform.state.ledger.length} call(s) were served.`);
  return 0;
}
