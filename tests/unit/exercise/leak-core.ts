// The leak core for check tests: the real one (src/lib/leak/index.ts) when it exists, otherwise a
// small stand-in that finds the key as is and base64-encoded, so the check logic stays testable.
import type { AuditOptions, DetectContext, Finding, LeakReport } from '../../../src/lib/leak/types.ts';
import type { LeakCore } from '../../../src/lib/exercise/leak.ts';

function b64(s: string) {
  return Buffer.from(s).toString('base64').slice(0, 40);
}

function find(key: string, bytes: Uint8Array, ctx: DetectContext): Finding[] {
  const text = new TextDecoder().decode(bytes);
  const out: Finding[] = [];
  for (const [form, needle] of [['plain', key], ['base64', b64(key)]] as const) {
    const i = text.indexOf(needle);
    if (i >= 0) {
      const line = text.slice(0, i).split('\n').length;
      out.push({ target: ctx.target, file: ctx.file, line, column: 1, form, excerpt: 'sk-proj-…', message: `key in ${ctx.file}` });
    }
  }
  return out;
}

async function walk(o: AuditOptions, dir: string, out: Finding[]) {
  for (const e of await o.fs.readdir(dir)) {
    const p = dir ? `${dir}/${e.name}` : e.name;
    if (e.kind === 'dir') await walk(o, p, out);
    else if (e.kind === 'file') out.push(...find(o.key, await o.fs.readFile(p), { file: p, target: o.target }));
  }
}

export const standIn: LeakCore = {
  async auditKey(o: AuditOptions): Promise<LeakReport> {
    const findings: Finding[] = [];
    await walk(o, o.dir ?? '', findings);
    return { leak: findings.length > 0, findings };
  },
  findKeyInBytes: (key, bytes, ctx) => find(key, bytes, ctx),
};

export async function testLeakCore(): Promise<LeakCore> {
  try {
    return (await import('../../../src/lib/leak/index.ts')) as unknown as LeakCore;
  } catch {
    return standIn;
  }
}
