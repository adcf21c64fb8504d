// Chapter 9's checks over what Docker would do with the project: the build context, the image
// (built by a local Docker/Podman engine when one answers, else by Leakproof's own builder, which
// makes the COPY/ADD layers, config and history and does NOT execute RUN steps), the build step's
// secret, and the container started the way `docker compose up` would start it.
import type { CheckContext } from '../../../src/lib/exercise/define.ts';
import type { Evidence } from '../../../src/lib/exercise/results.ts';
import { leakCore } from '../../../src/lib/exercise/leak.ts';
import { summarizeFindings, toEvidence } from '../../../src/lib/exercise/checks/evidence.ts';
import type { ReadonlyFs } from '../../../src/lib/fs/types.ts';
import { buildImage, ImageBuildError, type BuiltImage } from '../../../src/lib/image-build/build-image.ts';
import { buildSpec, findCompose, type BuildSpec, type ComposeFound } from '../../../src/lib/image-build/compose-runtime.ts';
import { DockerIgnore } from '../../../src/lib/leak/targets/docker-ignore.ts';
import { isComposeName, isDockerfileName, keyProbes } from '../../../src/lib/leak/targets/docker.ts';
import { listFiles } from '../../../src/lib/leak/targets/read-detect.ts';
import { parseRunArgs } from '../../../src/lib/leak/targets/docker-build-model.ts';
import { keyInWrittenFiles } from '../../../src/lib/exercise/checks/written-files.ts';

/** The key's homes in this chapter (as checks.ts declares them for key-not-committed): files written there are not a leak. */
const KEY_HOMES = ['.env', '.env.*', '!*example*', '!*sample*', '!*template*', 'secrets/'];
import type { Finding } from '../../../src/lib/leak/types.ts';

export type Verdict = { status: 'pass' | 'fail'; message: string; evidence?: Evidence[] };

const dec = new TextDecoder();

export interface Project {
  compose?: ComposeFound;
  spec: BuildSpec;
}

export async function readProject(fs: ReadonlyFs): Promise<Project> {
  const compose = await findCompose(fs);
  return { compose, spec: await buildSpec(fs, compose) };
}

/**
 * The image Leakproof's builder makes of the project, once per Check press (ctx.shared): the image,
 * build-secret and compose-up checks judge the same build. Built with the key probes, so the taint
 * of build steps is known.
 */
export async function leakproofImage(ctx: CheckContext, project: Project): Promise<BuiltImage> {
  const cached = ctx.shared?.get('09-docker:image') as Promise<BuiltImage> | undefined;
  if (cached) return cached;
  const { findKeyInBytes } = await leakCore();
  const fs = ctx.engine.fs;
  const { spec } = project;
  const probes = keyProbes({ key: ctx.key, fs, detect: findKeyInBytes }, spec.context);
  const built = buildImage({ fs, dockerfile: spec.dockerfile, context: spec.context, target: spec.target, buildArgs: spec.buildArgs, secrets: [...spec.secrets.keys()], probes, tag: 'leakproof/09-docker:check' });
  ctx.shared?.set('09-docker:image', built);
  return built;
}

/** The files `docker build` sends to the builder: the context folder less .dockerignore. */
export async function contextFiles(fs: ReadonlyFs, spec: BuildSpec): Promise<string[]> {
  const ignore =
    (await fs.readFile(`${spec.dockerfile}.dockerignore`).then((b) => dec.decode(b), () => undefined)) ??
    (await fs.readFile(spec.context ? `${spec.context}/.dockerignore` : '.dockerignore').then((b) => dec.decode(b), () => ''));
  const di = DockerIgnore.fromText(ignore);
  return (await listFiles(fs, spec.context)).filter((p) => !di.ignores(p));
}

export async function contextClean(ctx: CheckContext): Promise<Verdict> {
  const fs = ctx.engine.fs;
  const { spec } = await readProject(fs);
  const { findKeyInBytes } = await leakCore();
  const findings: Finding[] = [];
  for (const file of await contextFiles(fs, spec)) {
    const path = spec.context ? `${spec.context}/${file}` : file;
    findings.push(...(await findKeyInBytes(ctx.key, await fs.readFile(path), { file: path, target: 'docker' })));
  }
  if (!findings.length) return { status: 'pass', message: 'No file of the build context holds the key: .dockerignore keeps it away from the builder.' };
  const files = [...new Set(findings.map((f) => f.file))];
  const name = (p: string) => p.slice(p.lastIndexOf('/') + 1);
  const dockerFiles = files.filter((f) => isDockerfileName(name(f)) || isComposeName(name(f)));
  const others = files.filter((f) => !dockerFiles.includes(f));
  const parts = [];
  if (others.length) parts.push(`List ${others.join(', ')} in .dockerignore.`);
  if (dockerFiles.length) parts.push(`Take the key out of ${dockerFiles.join(', ')} (they are part of the context too).`);
  return {
    status: 'fail',
    message: `The build context holds the key in ${files.join(', ')}. \`docker build\` sends every file of the context to the builder (a remote one too), and \`COPY . .\` puts it in a layer. ${parts.join(' ')}`,
    evidence: findings.slice(0, 20).map(toEvidence),
  };
}

type EngineFound = { tool?: 'docker' | 'podman'; why: string };
// Asked once a minute per engine: two process starts per Check press would cost more than the rest
// of the static checks together, and a daemon rarely comes or goes between two presses.
const engineSeen = new WeakMap<object, { at: number; found: Promise<EngineFound> }>();

/** Is a container engine there and answering? `docker info` fails when only the client is installed. */
function localEngine(ctx: CheckContext): Promise<EngineFound> {
  const seen = engineSeen.get(ctx.engine);
  if (seen && Date.now() - seen.at < 60_000) return seen.found;
  const found = askEngines(ctx);
  engineSeen.set(ctx.engine, { at: Date.now(), found });
  return found;
}

async function askEngines(ctx: CheckContext): Promise<EngineFound> {
  if (!ctx.engine.capabilities.processes) return { why: 'this engine cannot run commands' };
  const tried: string[] = [];
  for (const tool of ['docker', 'podman'] as const) {
    try {
      const r = await ctx.engine.run(tool, ['info', '--format', '{{.ServerVersion}}{{.Version.Version}}'], { timeoutMs: 15_000, signal: ctx.signal });
      if (r.exitCode === 0) return { tool, why: `${tool} answered` };
      tried.push(
        r.exitCode === 127 || /ENOENT|not found/i.test(r.output)
          ? `${tool} is not installed`
          : /cannot connect|daemon|socket/i.test(r.output)
            ? `${tool} is installed but its daemon is not running`
            : `\`${tool} info\` failed`,
      );
    } catch {
      tried.push(`${tool} is not installed`);
    }
  }
  return { why: tried.join('; ') };
}

export interface ImageBuildResult {
  findings: Finding[];
  built?: BuiltImage;
  how: string;
}

/** Builds the image (engine or Leakproof) and audits it with the `image` target. */
export async function buildAndAudit(ctx: CheckContext, project: Project): Promise<ImageBuildResult> {
  const { auditKey } = await leakCore();
  const { spec } = project;
  const engine = await localEngine(ctx);
  if (engine.tool) {
    const tool = engine.tool;
    const tag = 'leakproof-exercise:check';
    const env: Record<string, string> = {};
    const args = ['build', '-t', tag, '-f', spec.dockerfile];
    for (const [k, v] of Object.entries(spec.buildArgs)) args.push('--build-arg', `${k}=${v}`);
    [...spec.secrets].forEach(([id, bytes], i) => {
      env[`LEAKPROOF_SECRET_${i}`] = dec.decode(bytes).trim();
      args.push('--secret', `id=${id},env=LEAKPROOF_SECRET_${i}`);
    });
    if (spec.target) args.push('--target', spec.target);
    args.push(spec.context || '.');
    const built = await ctx.engine.run(tool, args, { env, timeoutMs: 600_000, signal: ctx.signal });
    if (built.exitCode !== 0) throw new ImageBuildError(`\`${tool} build\` failed (exit ${built.exitCode}):\n${built.output.split('\n').slice(-12).join('\n')}`);
    const tar = '.leakproof-image.tar';
    const saved = await ctx.engine.run(tool, ['save', '-o', tar, tag], { timeoutMs: 300_000, signal: ctx.signal });
    if (saved.exitCode !== 0) throw new ImageBuildError(`\`${tool} save\` failed: ${saved.output.slice(-400)}`);
    try {
      const report = await auditKey({ key: ctx.key, target: 'image', fs: ctx.engine.fs, dir: tar });
      return { findings: report.findings, how: `Built for real by ${tool} (the local engine ran every step, RUN included) and saved with \`${tool} save\`.` };
    } finally {
      await ctx.engine.remove(tar).catch(() => undefined);
    }
  }
  const built = await leakproofImage(ctx, project);
  const mem: ReadonlyFs = {
    readdir: async () => [{ name: 'image.tar', kind: 'file' }],
    readFile: async () => built.archive,
    stat: async () => ({ kind: 'file', size: built.archive.length }),
  };
  const report = await auditKey({ key: ctx.key, target: 'image', fs: mem, dir: 'image.tar' });
  const findings = [...report.findings];
  for (const t of built.taints) {
    findings.push({
      target: 'image',
      file: spec.dockerfile,
      line: t.at.line,
      column: 1,
      form: 'build-step',
      excerpt: `${t.at.keyword} ${t.at.args}`.slice(0, 80),
      message: `RUN on line ${t.run.line} can read the key (${t.reasons.join('; ')}), and its output reaches the image.`,
    });
  }
  return { findings, built, how: `Built by Leakproof without a Docker engine (${engine.why}): ${built.notes.join(' ')}` };
}

export async function imageClean(ctx: CheckContext): Promise<Verdict> {
  const project = await readProject(ctx.engine.fs);
  let r: ImageBuildResult;
  try {
    r = await buildAndAudit(ctx, project);
  } catch (e) {
    if (e instanceof ImageBuildError) return { status: 'fail', message: e.message };
    throw e;
  }
  if (!r.findings.length) return { status: 'pass', message: `No form of the key is in any layer, the config or the history of the image. ${r.how}` };
  const first = r.findings[0];
  const lead = first.form === 'build-step' ? `The key can reach the image through a build step: ${first.message}` : summarizeFindings(r.findings, 'image');
  return { status: 'fail', message: `${lead}\n${r.how}`, evidence: r.findings.slice(0, 20).map(toEvidence) };
}

export async function buildSecretMount(ctx: CheckContext): Promise<Verdict> {
  const project = await readProject(ctx.engine.fs);
  const { findKeyInBytes } = await leakCore();
  let built: BuiltImage;
  try {
    built = await leakproofImage(ctx, project);
  } catch (e) {
    if (e instanceof ImageBuildError) return { status: 'fail', message: e.message };
    throw e;
  }
  const runs = built.model.stages.flatMap((s) => s.runs);
  const mounting = runs.filter((r) => r.secrets.length);
  if (!mounting.length) {
    return { status: 'fail', message: `No RUN step of ${project.spec.dockerfile} gets the key through a secret mount, so the build step (\`npm run build\`) either goes without it or gets it in a way that stays in the image.` };
  }
  for (const run of mounting) {
    for (const id of run.secrets) {
      const bytes = project.spec.secrets.get(id);
      if (!bytes)
        return {
          status: 'fail',
          message: `RUN on line ${run.ins.line} mounts the secret "${id}", but ${project.compose ? `${project.compose.project.file} gives the build no secret "${id}"` : 'there is no compose file to give it'}: add \`secrets: [${id}]\` under the service's \`build:\`, and define "${id}" under the top-level \`secrets:\` (\`file: ./secrets/openai_api_key.txt\`).`,
        };
      if (!(await findKeyInBytes(ctx.key, bytes, { file: `secret ${id}`, target: 'docker' })).length)
        return { status: 'fail', message: `The build secret "${id}" does not hold the key, so the build step would run without it. Put the key (only the key) in the file the secret names.` };
    }
  }
  const run = mounting[0];
  return { status: 'pass', message: `RUN on line ${run.ins.line} gets the key as the secret "${run.secrets[0]}": it is in no layer and not in the history.` };
}

/** Where a step's paths outside WORKDIR go, inside the project (removed after the check). */
const STAGE_ROOT = '.leakproof-stage-root';
/**
 * An absolute path in a command that is not the system's own (programs, libraries, devices, /etc):
 * after the start of the command, a space, a quote, =, <, >, ( or :.
 */
const OUTSIDE_PATH = /(?<=^|[\s"'=<>(:])\/(?!(?:bin|sbin|usr|lib|lib32|lib64|libx32|dev|proc|sys|etc)(?:\/|\b))[\w.-]+(?:\/[\w.-]*)*/g;

/** The build steps that get a secret, as commands to run in the project folder: the stage's WORKDIR is the folder, a secret file is a temporary one. */
interface SecretStep {
  line: number;
  command: string;
  env: Record<string, string>;
  files: string[];
}

async function secretSteps(ctx: CheckContext): Promise<SecretStep[]> {
  let built: BuiltImage;
  try {
    built = await leakproofImage(ctx, await readProject(ctx.engine.fs));
  } catch {
    return [];
  }
  const steps: SecretStep[] = [];
  for (const stage of built.model.stages) {
    const wd = stage.workdir.replace(/\/+$/, '');
    for (const run of stage.runs.filter((r) => r.secrets.length)) {
      const { mounts } = parseRunArgs(run.ins.args);
      let command = run.command.trim();
      // Exec form (["sh", "-c", "…"]) is run as its words; shell form as it is.
      if (command.startsWith('[')) {
        try {
          command = (JSON.parse(command) as string[]).map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
        } catch {
          /* not JSON: run as written */
        }
      }
      const env: Record<string, string> = {};
      const files: string[] = [];
      for (const m of mounts.filter((x) => x.type === 'secret')) {
        const id = m.id ?? m.target ?? '';
        if (m.env) env[m.env] = ctx.key;
        if (m.env && !m.target) continue;
        const target = m.target ?? `/run/secrets/${id}`;
        const local = `.leakproof-secret-${files.length}`;
        files.push(local);
        command = command.split(target).join(`$PWD/${local}`);
      }
      // Absolute paths under the stage's WORKDIR are the project folder here.
      if (wd && wd !== '/') command = command.replace(new RegExp(`${wd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=/|\\b|$)`, 'g'), '$PWD');
      // Every other absolute path the step names (/tmp/key, /opt/keys/…) is a place in the build
      // stage's file system, not on this machine: it goes to a folder inside the project, so what
      // the step writes there is audited (a later COPY --from can take it) and nothing lands outside.
      const outside = new Set<string>();
      command = command.replace(OUTSIDE_PATH, (path) => {
        outside.add(path.slice(0, path.lastIndexOf('/')) || '/');
        return `$PWD/${STAGE_ROOT}${path}`;
      });
      if (outside.size) command = `mkdir -p ${[...outside].map((d) => `"$PWD/${STAGE_ROOT}${d}"`).join(' ')} && ${command}`;
      steps.push({ line: run.ins.line, command, env, files });
    }
  }
  return steps;
}

/**
 * Runs what the build does with the key, as the secret mount gives it: each RUN step that mounts a
 * secret, its own command in the project folder (the stage's WORKDIR), else `npm run build`. Then
 * dist/ and every file the step created or changed are audited: a step that saves the key to a file
 * a later stage copies forward (COPY --from=build) leaks it as surely as one writing it into dist/.
 */
export async function buildOutputClean(ctx: CheckContext): Promise<Verdict> {
  const { auditKey } = await leakCore();
  const steps = await secretSteps(ctx);
  const what = steps.length ? steps.map((s) => `the RUN step on line ${s.line}`).join(', ') : '`npm run build`';
  try {
    for (const step of steps.length ? steps : [{ line: 0, command: 'npm run build', env: { OPENAI_API_KEY: ctx.key }, files: [] as string[] }]) {
      for (const f of step.files) await ctx.engine.writeFile(f, ctx.key);
      const r = await ctx.engine.run('sh', ['-c', step.command], { env: step.env, timeoutMs: 120_000, signal: ctx.signal });
      for (const f of step.files) await ctx.engine.remove(f).catch(() => undefined);
      if (r.exitCode !== 0) return { status: 'fail', message: `${step.line ? `The RUN step on line ${step.line} (\`${step.command.slice(0, 80)}\`)` : '`npm run build`'} failed (exit ${r.exitCode}). What it printed last:\n${r.output.split(ctx.key).join('****').split('\n').slice(-10).join('\n')}` };
    }
    const report = await auditKey({ key: ctx.key, target: 'bundle', fs: ctx.engine.fs, dir: 'dist' });
    if (report.leak) {
      return {
        status: 'fail',
        message: `Given the key, the build writes it into its output: ${summarizeFindings(report.findings, 'bundle').replace(/^The key is /, '')} A secret mount keeps the key out of layers, not out of what the step itself writes.`,
        evidence: report.findings.slice(0, 20).map(toEvidence),
      };
    }
    const written = await keyInWrittenFiles({ ...ctx, keyHomes: KEY_HOMES }, what);
    // A file the step wrote outside WORKDIR is named by its path in the build stage.
    const staged = (text: string) => text.split(`${STAGE_ROOT}/`).join('/');
    if (written) return { status: 'fail', evidence: written.evidence?.map((e) => (e.file ? { ...e, file: staged(e.file) } : e)), message: `${staged(written.message)} In an image, a later stage's COPY --from takes that file along: a secret mount keeps the key out of layers, not out of what the step itself writes.` };
    return { status: 'pass', message: `Given the key (as the secret mount gives it), ${what} writes no form of it into dist/ or any other file.` };
  } finally {
    await ctx.engine.remove('dist').catch(() => undefined);
    await ctx.engine.remove(STAGE_ROOT).catch(() => undefined);
  }
}
