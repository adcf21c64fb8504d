// `no-key-in`: no form of the planted key in a target. For `bundle`, the project is built first
// (the real build command) and its output folder is audited.
import type { CheckSpec } from '../define.ts';
import { leakCore } from '../leak.ts';
import type { CheckOutcome, CheckRunContext } from './types.ts';
import { quoteCommand, tail } from './types.ts';
import { place, formWords, summarizeFindings, toEvidence, whereWords } from './evidence.ts';
import { keyInOutput } from './output-leak.ts';
import { wholeProjectFs } from './project-files.ts';

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
    // Build logs are kept by CI and shared: a build that prints the key leaks it. Checked first, so
    // no message below ever quotes a log with the key in it.
    const printed = await keyInOutput(ctx, r.output, `The build (\`${line}\`)`);
    if (printed) return printed;
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
  if (spec.target === 'source' && !spec.committedOnly && !spec.build) return wholeProject(spec, ctx);
  const report = await auditKey({ key: ctx.key, target: spec.target, fs: ctx.engine.fs, dir, decompress: ctx.decompress });
  if (!report.leak) return { status: 'pass', message: `No form of the key is ${whereWords(spec.target)}.` };
  return { status: 'fail', message: summarizeFindings(report.findings, spec.target), evidence: report.findings.slice(0, 20).map(toEvidence) };
}

/** `source`: every project file, ignored ones too, except the key's ignored home (.env). */
async function wholeProject(spec: Spec, ctx: CheckRunContext): Promise<CheckOutcome> {
  const { auditKey } = await leakCore();
  const view = await wholeProjectFs(ctx.engine.fs, spec.keyHomes);
  const report = await auditKey({ key: ctx.key, target: 'source', fs: view.fs, dir: '', decompress: ctx.decompress });
  if (!report.leak) return { status: 'pass', message: 'No file of the project holds the key, except the .env file git ignores (where it belongs).' };
  const evidence = report.findings.slice(0, 20).map(toEvidence);
  const committed = [];
  for (const f of report.findings) if (!(await view.ignored(f.file))) committed.push(f);
  if (committed.length > 0) return { status: 'fail', message: summarizeFindings(committed, 'source'), evidence };
  const f = report.findings[0]!;
  return {
    status: 'fail',
    message: `The key is in ${place(f)} (${formWords(f.form)}). git ignores that file, but it is part of your program: it goes with every copy of the folder (a zip, a Docker build, a deploy). Keep the key only in .env.`,
    evidence,
  };
}
