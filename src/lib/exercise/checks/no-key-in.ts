// `no-key-in`: no form of the planted key in a target. For `bundle`, the project is built first
// (the real build command) and its output folder is audited.
import type { CheckSpec } from '../define.ts';
import { leakCore } from '../leak.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';
import { quoteCommand, tail } from './types.ts';
import { summarizeFindings, toEvidence, whereWords } from './evidence.ts';

type Spec = Extract<CheckSpec, { kind: 'no-key-in' }>;

export async function runBuild(spec: NonNullable<Spec['build']>, ctx: CheckRunContext) {
  const line = quoteCommand(spec.command, spec.args);
  let build = ctx.builds.get(line);
  if (!build) {
    build = ctx.engine.run(spec.command, spec.args, { timeoutMs: ctx.timeoutMs, signal: ctx.signal, onOutput: ctx.onOutput });
    ctx.builds.set(line, build);
  }
  return build;
}

export async function noKeyIn(spec: Spec, ctx: CheckRunContext): Promise<CheckOutcome> {
  let dir = '';
  if (spec.target === 'bundle' && !spec.build) throw new Error(`Check "${spec.id}": a bundle check needs \`build: { command, args, outDir }\`.`);
  // Any target may build first (a bundle, a saved image tarball); the audit then reads outDir.
  if (spec.build) {
    const r = await runBuild(spec.build, ctx);
    const line = quoteCommand(spec.build.command, spec.build.args);
    if (r.timedOut) return { status: 'fail', message: `The build (\`${line}\`) did not finish in time, so its output could not be checked.\n${tail(r.output)}` };
    if (r.exitCode !== 0) {
      return {
        status: 'fail',
        message: `The build (\`${line}\`) failed with exit code ${r.exitCode}, so there is no output to check. What it printed last:\n${tail(r.output)}`,
      };
    }
    dir = spec.build.outDir;
    const out = await ctx.engine.fs.stat(dir).catch(() => null);
    if (!out || (spec.target === 'bundle' && out.kind !== 'dir')) {
      return { status: 'fail', message: `The build finished but wrote no \`${dir}/\` folder, so there is nothing to check. Does the build still write to \`${dir}/\`?` };
    }
  }
  const { auditKey } = await leakCore();
  const report = await auditKey({ key: ctx.key, target: spec.target, fs: ctx.engine.fs, dir, decompress: ctx.decompress });
  if (!report.leak) return { status: 'pass', message: `No form of the key is ${whereWords(spec.target)}.` };
  return { status: 'fail', message: summarizeFindings(report.findings, spec.target), evidence: report.findings.slice(0, 20).map(toEvidence) };
}
