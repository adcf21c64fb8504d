// `key-from-env`: does the program take the key from where it lives (an ignored .env-style file,
// or the environment), and not from its own code? Swap in a second key the platform knows — in
// every key-home file and in OPENAI_API_KEY — run the program, and look at whose key the platform
// saw. Text can fool a pattern (a quoted 'process.env.OPENAI_API_KEY' reads nothing); it cannot
// fool this. Any correct loader passes: --env-file, process.loadEnvFile, dotenv, `new OpenAI()`.
import type { CheckSpec } from '../define.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';
import { quoteCommand, tail } from './types.ts';
import { keyInOutput } from './output-leak.ts';
import { createKey, markLedger, revokeKey, verifyPlatformCall } from './platform-ledger.ts';
import { keyHomeMatcher, wholeProjectFs } from './project-files.ts';

type Spec = Extract<CheckSpec, { kind: 'key-from-env' }>;

const dec = new TextDecoder();

/** The ignored key-home files that hold the planted key as is (the ones a loader reads). */
async function homesWithKey(spec: Spec, ctx: CheckRunContext): Promise<Map<string, string>> {
  const isHome = keyHomeMatcher(spec.keyHomes);
  const { ignored } = await wholeProjectFs(ctx.engine.fs, spec.keyHomes);
  const out = new Map<string, string>();
  for (const e of await ctx.engine.fs.readdir('')) {
    if (e.kind !== 'file' || !isHome(e.name) || !(await ignored(e.name))) continue;
    const text = dec.decode(await ctx.engine.fs.readFile(e.name));
    if (text.includes(ctx.key)) out.set(e.name, text);
  }
  return out;
}

export async function keyFromEnv(spec: Spec, ctx: CheckRunContext): Promise<CheckOutcome> {
  if (!spec.command && !spec.server) throw new Error(`Check "${spec.id}": a key-from-env check needs \`command\` (and \`args\`) or \`server\` with \`request\`.`);
  if (!ctx.platform) {
    return { status: 'skipped', message: 'Not run: this engine cannot reach the mock platform\'s records, which this check reads (it does not count as passed).' };
  }
  const homes = await homesWithKey(spec, ctx);
  const second = await createKey(ctx.platform, 'course check: a second key, to see where the program reads its key');
  const swapped = { ...ctx, key: second.value };
  try {
    for (const [path, text] of homes) await ctx.engine.writeFile(path, text.split(ctx.key).join(second.value));
    const env = { OPENAI_API_KEY: second.value };
    const mark = await markLedger(ctx.platform);
    let output = '';
    let who: string;
    if (spec.server) {
      who = `The server (\`${quoteCommand(spec.server.command, spec.server.args)}\`)`;
      const server = await ctx.engine.startServer(spec.server.command, spec.server.args, { port: spec.server.port ?? 0, env, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
      try {
        const r = spec.request ?? { path: '/' };
        await ctx.engine.fetch(new URL(r.path, server.url).href, { method: r.method ?? 'GET', headers: r.headers, body: r.body, signal: ctx.signal }).then((res) => res.arrayBuffer(), () => null);
      } finally {
        output = server.output();
        await server.stop();
      }
    } else {
      who = `\`${quoteCommand(spec.command!, spec.args ?? [])}\``;
      const r = await ctx.engine.run(spec.command!, spec.args ?? [], { env, timeoutMs: ctx.timeoutMs, signal: ctx.signal });
      output = r.output;
    }
    for (const k of [ctx, swapped]) {
      const printed = await keyInOutput({ key: k.key, decompress: ctx.decompress }, output, who);
      if (printed) return printed;
    }
    const wrong = await verifyPlatformCall(ctx.platform, mark, second.value, true, who);
    if (!wrong) {
      return { status: 'pass', message: `${who} used the key it found in ${[...homes.keys()].join(', ') || 'the environment'}: given another key there, it called the platform with that one.` };
    }
    // Called with the planted key although only the second key was offered: it is in the code.
    const planted = await verifyPlatformCall(ctx.platform, mark, ctx.key, true, who);
    if (!planted) {
      return { status: 'fail', message: `${who} does not read the key from the environment: given another key in ${[...homes.keys()].join(', ') || 'OPENAI_API_KEY'}, it still called the platform with the key written into the program.` };
    }
    return { status: 'fail', message: `${wrong.message.replace(/\.$/, '')} — when given a key in ${[...homes.keys()].join(', ') || 'OPENAI_API_KEY'}. What it printed last:\n${tail(output, 6)}` };
  } finally {
    for (const [path, text] of homes) await ctx.engine.writeFile(path, text);
    await revokeKey(ctx.platform, second.id).catch(() => {});
  }
}
