// `docker` target: what a Docker build or a Compose file would leak.
// 1. Dockerfiles and compose files themselves: a literal key anywhere in them (ENV, ARG defaults,
//    LABEL, RUN, heredocs, compose `environment:` / `build.args` / `labels`) ends up in the image
//    config, `docker history` or `docker inspect`.
// 2. What COPY/ADD put into the FINAL stage, given the build context, `.dockerignore` (Docker's
//    semantics, see docker-ignore.ts; `<Dockerfile>.dockerignore` wins over the context's) and
//    multi-stage builds: a `COPY --from=stage` brings along what that stage had copied from the
//    context. Files copied only into earlier stages do not reach the image.
// 3. Files that Compose reads at run time (`env_file:`, `secrets: file:`) are the recommended way to
//    pass a key; their contents count only when git would commit them.
import ignore from 'ignore';
import { parseDocument, LineCounter, visit, isScalar, isMap, isSeq } from 'yaml';
import type { ReadonlyFs } from '../../fs/types.ts';
import type { AuditOptions, Finding, KeyDetector } from '../types.ts';
import { findKeyInBytes } from '../detect-key.ts';
import { findKeyInStream } from '../stream.ts';
import { FragmentCollector } from '../fragments.ts';
import { DockerIgnore, cleanPath } from './docker-ignore.ts';
import { parseDockerfile, dockerfileEscape, type Instruction } from './dockerfile.ts';
import { modelBuild, type ModelStage, type Taint } from './docker-build-model.ts';
import { parseCompose } from './compose-model.ts';
import { detectFile, listFiles, type StreamDetector } from './read-detect.ts';

export interface DockerAuditOptions {
  key: string;
  fs: ReadonlyFs;
  dir?: string;
  detect: KeyDetector;
  /** For files larger than WINDOW (default: detectChunks over `detect`). */
  detectStream?: StreamDetector;
  /**
   * Asks "does this hold the key?" for the build model (files a RUN step can read, ARG values),
   * without adding to the findings' fragment pool. Default: `detect`.
   */
  probe?: KeyDetector;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export function isDockerfileName(name: string): boolean {
  if (name.endsWith('.dockerignore')) return false;
  return /^(Dockerfile|Containerfile)(\..+)?$/i.test(name) || /\.(Dockerfile|Containerfile)$/i.test(name);
}

export function isComposeName(name: string): boolean {
  return /^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/i.test(name);
}

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const joinRel = (a: string, b: string) => {
  const c = cleanPath(a ? `${a}/${b}` : b);
  return c === '.' ? '' : c;
};

interface BuildSpec {
  dockerfile: string;
  context: string;
  target?: string;
  via?: string;
  /** Compose build.args after ${VAR} interpolation. */
  args?: Record<string, string>;
}

async function readText(fs: ReadonlyFs, path: string): Promise<string | undefined> {
  try {
    return dec.decode(await fs.readFile(path));
  } catch {
    return undefined;
  }
}

/** The compose key path (e.g. "services.web.environment.OPENAI_API_KEY") around each line. */
function composeLinePaths(text: string): Map<number, string> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false });
  const out = new Map<number, string>();
  visit(doc, {
    Scalar(_k, node, path) {
      if (!node.range) return;
      const names: string[] = [];
      for (let i = 0; i < path.length; i++) {
        const p = path[i];
        if (isMap(p) || isSeq(p)) continue;
        const pair = p as { key?: unknown };
        if (pair && isScalar(pair.key)) names.push(String(pair.key.value));
      }
      const from = lc.linePos(node.range[0]).line;
      const to = lc.linePos(node.range[1]).line;
      for (let l = from; l <= to; l++) if (!out.has(l)) out.set(l, names.join('.'));
    },
  });
  return out;
}

function describeDockerfileLine(instructions: Instruction[], line: number): string {
  const ins = instructions.find((i) => line >= i.line && line <= i.endLine);
  if (!ins) return 'a comment (the Dockerfile is committed, and often copied into the image)';
  const k = ins.keyword;
  if (k === 'ENV' || k === 'ARG' || k === 'LABEL')
    return `the ${k} instruction (line ${ins.line}): ${k} values stay in the image and show in "docker history" / "docker inspect"; pass the key at run time or with a secret mount (RUN --mount=type=secret)`;
  if (k === 'RUN') return `the RUN instruction (line ${ins.line}): the command line is kept in the image history; use RUN --mount=type=secret,id=openai,env=OPENAI_API_KEY`;
  return `the ${k} instruction (line ${ins.line})`;
}

/** Would git commit this file? (Nested .gitignore files along its path; an ignored folder hides all below.) */
async function gitWouldCommit(fs: ReadonlyFs, root: string, rel: string): Promise<boolean> {
  const segs = rel.split('/');
  for (let d = 0; d < segs.length; d++) {
    const dir = segs.slice(0, d).join('/');
    const text = await readText(fs, joinRel(root, dir ? `${dir}/.gitignore` : '.gitignore'));
    if (!text) continue;
    const ig = ignore().add(text);
    for (let e = d + 1; e <= segs.length; e++) {
      const sub = segs.slice(d, e).join('/');
      if (ig.ignores(e < segs.length ? `${sub}/` : sub)) return false;
    }
  }
  return true;
}

export async function auditDocker(opts: DockerAuditOptions): Promise<Finding[]> {
  const { fs, key, detect, detectStream } = opts;
  const root = opts.dir ?? '';
  const abs = (rel: string) => joinRel(root, rel);
  const findings: Finding[] = [];
  const all = await listFiles(fs, root, (p) => p === '.git' || base(p) === 'node_modules');
  const dockerfiles = all.filter((p) => isDockerfileName(base(p)));
  const composes = all.filter((p) => isComposeName(base(p)));
  const builds = new Map<string, BuildSpec>();

  // Compose files: literal keys, build specs, and files read at run time.
  for (const file of composes) {
    const text = (await readText(fs, abs(file))) ?? '';
    const found = await detect(key, enc.encode(text), { file, target: 'docker' });
    if (found.length) {
      let paths = new Map<number, string>();
      try {
        paths = composeLinePaths(text);
      } catch {
        // A compose file YAML cannot parse still gets its findings, without the key path.
      }
      for (const f of found) {
        const where = paths.get(f.line);
        findings.push({
          ...f,
          target: 'docker',
          message: `${f.message} It is written in the compose file${where ? ` (at ${where})` : ''}. Compose files are committed and their values show in "docker inspect": use \`environment: [OPENAI_API_KEY]\` (value from your shell), \`env_file:\` with a git-ignored file, or \`secrets:\`.`,
        });
      }
    }
    let doc: unknown;
    try {
      doc = parseDocument(text).toJS();
    } catch {
      continue;
    }
    const d = doc as { services?: Record<string, any>; secrets?: Record<string, any> } | null;
    try {
      const project = parseCompose(file, text, await readText(fs, abs(joinRel(dirOf(file), '.env'))));
      for (const svc of project.services) {
        if (!svc.build) continue;
        const { dockerfile, context, target, args } = svc.build;
        builds.set(dockerfile, { dockerfile, context, target, args, via: `${file} (service ${svc.name})` });
      }
    } catch {
      // Not a compose file Compose could read: its literals were still checked above.
    }
    const runtimeFiles: Array<[string, string]> = [];
    for (const [name, svc] of Object.entries(d?.services ?? {})) {
      if (!svc || typeof svc !== 'object') continue;
      const envFiles = svc.env_file === undefined ? [] : Array.isArray(svc.env_file) ? svc.env_file : [svc.env_file];
      for (const e of envFiles) {
        const p = typeof e === 'string' ? e : e?.path;
        if (typeof p === 'string') runtimeFiles.push([joinRel(dirOf(file), p), `env_file of service ${name}`]);
      }
    }
    // Compose reads the .env beside the compose file to fill ${VARIABLES} in it.
    if (/\$\{?[A-Za-z_]/.test(text)) runtimeFiles.push([joinRel(dirOf(file), '.env'), 'file Compose reads to fill ${…} variables']);
    for (const [name, sec] of Object.entries(d?.secrets ?? {})) {
      if (sec && typeof sec.file === 'string') runtimeFiles.push([joinRel(dirOf(file), sec.file), `secret "${name}"`]);
    }
    for (const [path, why] of new Map(runtimeFiles)) {
      if (!all.includes(path) || !(await gitWouldCommit(fs, root, path))) continue;
      for (const f of await detectFile(fs, abs(path), key, detect, { file: path, target: 'docker' }, detectStream)) {
        findings.push({
          ...f,
          target: 'docker',
          message: `${f.message} ${path} is the ${why} ${why.startsWith('file Compose') ? 'of' : 'in'} ${file}, and git would commit it. Add it to .gitignore (keep an .env.example with a placeholder).`,
        });
      }
    }
  }

  // Dockerfiles: the text itself, then what the final stage copies from the build context.
  for (const file of dockerfiles) {
    const text = (await readText(fs, abs(file))) ?? '';
    const instructions = parseDockerfile(text);
    const raw = await detect(key, enc.encode(text), { file, target: 'docker' });
    for (const f of raw) {
      findings.push({ ...f, target: 'docker', message: `${f.message} In ${file} it is in ${describeDockerfileLine(instructions, f.line)}.` });
    }
    // A key split over continuation lines ("sk-proj-ab\⏎cd…") is whole once Docker joins them.
    for (const ins of instructions) {
      if (ins.endLine === ins.line || raw.some((f) => f.line >= ins.line && f.line <= ins.endLine)) continue;
      for (const f of await detect(key, enc.encode(`${ins.keyword} ${ins.args}`), { file, target: 'docker' })) {
        findings.push({
          ...f,
          target: 'docker',
          line: ins.line,
          message: `${f.message.replace(/line \d+/, `line ${ins.line}`)} (once Docker joins the continuation lines). In ${file} it is in ${describeDockerfileLine(instructions, ins.line)}.`,
        });
      }
    }
    const spec = builds.get(file) ?? { dockerfile: file, context: dirOf(file) };
    // Docker reads `<Dockerfile>.dockerignore` beside the Dockerfile first, else `<context>/.dockerignore`.
    const ignoreText = (await readText(fs, abs(`${file}.dockerignore`))) ?? (await readText(fs, abs(joinRel(spec.context, '.dockerignore'))));
    const di = DockerIgnore.fromText(ignoreText ?? '');
    // The context is everything below its folder (node_modules and .git included) less .dockerignore.
    // A context outside the audited folder (build: ../) cannot be read: its COPY lines are skipped.
    if (spec.context.startsWith('..')) continue;
    let contextFiles: string[];
    try {
      contextFiles = (await listFiles(fs, abs(spec.context))).filter((p) => !di.ignores(p));
    } catch {
      continue;
    }
    const literal = new Set(findings.map((f) => f.file));
    findings.push(...(await auditBuild(opts, file, instructions, dockerfileEscape(text), spec, contextFiles, raw.length > 0, literal)));
  }
  return findings;
}

/** Asks the model's questions ("does this file / text hold the key?") with caching. */
export function keyProbes(opts: DockerAuditOptions, contextRoot: string) {
  const probe = opts.probe ?? opts.detect;
  const cache = new Map<string, Promise<boolean>>();
  return {
    fileHoldsKey(ctxPath: string): Promise<boolean> {
      let p = cache.get(ctxPath);
      if (!p) {
        const path = joinRel(contextRoot, ctxPath);
        p = detectFile(opts.fs, path, opts.key, probe, { file: path, target: 'docker' }, opts.detectStream && !opts.probe ? opts.detectStream : undefined).then(
          (f) => f.length > 0,
          () => false,
        );
        cache.set(ctxPath, p);
      }
      return p;
    },
    async textHoldsKey(text: string): Promise<boolean> {
      return text.length >= 20 && (await probe(opts.key, enc.encode(text), { file: 'build value', target: 'docker' })).length > 0;
    },
  };
}

function buildStepFinding(file: string, at: Instruction, message: string): Finding {
  return { target: 'docker', file, line: at.line, column: 1, form: 'build-step', excerpt: `${at.keyword} ${at.args}`.slice(0, 80), message };
}

const RUN_NOT_EXECUTED = 'The course does not run RUN steps without a Docker engine: it follows where the key can go.';
const BUILD_STEP_FIX =
  'Give a build step the key only through a secret mount (RUN --mount=type=secret,id=openai,env=OPENAI_API_KEY …, built with --secret id=openai,env=OPENAI_API_KEY), drop the ARG, and keep .env out of the context (.dockerignore).';

/** What the final stage of one Dockerfile build holds: copied files with the key, and taint from build steps. */
async function auditBuild(
  opts: DockerAuditOptions,
  file: string,
  instructions: Instruction[],
  escape: '\\' | '`',
  spec: BuildSpec,
  contextFiles: string[],
  /** The Dockerfile text holds the key: a value taint would only repeat that finding. */
  literalInDockerfile: boolean,
  /** Files already reported for a literal key (a Dockerfile or compose file that COPY . . also copies). */
  literal: Set<string>,
): Promise<Finding[]> {
  const root = opts.dir ?? '';
  const probes = keyProbes(opts, joinRel(root, spec.context));
  const model = await modelBuild({ instructions, contextFiles, buildArgs: spec.args, target: spec.target, escape, ...probes });
  const final: ModelStage | undefined = model.final;
  if (!final) return [];
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const [dest, sf] of final.files) {
    if (sf.ctxPath === undefined || reported.has(sf.ctxPath)) continue;
    reported.add(sf.ctxPath);
    const path = joinRel(spec.context, sf.ctxPath);
    if (literal.has(path)) continue;
    for (const f of await detectFile(opts.fs, joinRel(root, path), opts.key, opts.detect, { file: path, target: 'docker' }, opts.detectStream)) {
      findings.push({
        ...f,
        target: 'docker',
        message: `${f.message} ${sf.via.keyword} on line ${sf.via.line} of ${file} would copy ${path} into the image (as ${dest}). Add it to .dockerignore, or copy only the files the app needs.`,
      });
    }
  }
  // Only reasons not reported already: a file that is in the image anyway, or a literal in the Dockerfile.
  const news = (t: Taint, inImage: boolean) =>
    t.reasons.filter((r) => !(r.kind === 'value' && literalInDockerfile && !r.buildArg) && !(inImage && r.kind === 'file' && r.ctxPath !== undefined && reported.has(r.ctxPath))).map((r) => r.text);
  const argsFrom = spec.args && Object.keys(spec.args).length ? ` (build args from ${spec.via ?? 'the build command'})` : '';
  for (const run of final.runs) {
    if (!run.taint) continue;
    const reasons = news(run.taint, true);
    if (!reasons.length) continue;
    findings.push(
      buildStepFinding(
        file,
        run.ins,
        `The key reaches the image through a build step: RUN on line ${run.ins.line} of ${file}${argsFrom} can read it, because ${reasons.join('; ')}. Whatever that step writes may hold the key, and this stage is the image. ${RUN_NOT_EXECUTED} ${BUILD_STEP_FIX}`,
      ),
    );
  }
  for (const inh of final.inherited) {
    const reasons = news(inh.taint, inh.via.keyword === 'FROM');
    if (!reasons.length) continue;
    const from = inh.from.name ?? `stage ${inh.from.index}`;
    findings.push(
      buildStepFinding(
        file,
        inh.via,
        `The key reaches the image through a build step: ${inh.via.keyword} on line ${inh.via.line} of ${file} takes the output of the "${from}" stage, where RUN on line ${inh.taint.run.line}${argsFrom} can read the key, because ${reasons.join('; ')}. What that step wrote (a bundle, say) may hold the key. ${RUN_NOT_EXECUTED} ${BUILD_STEP_FIX}`,
      ),
    );
  }
  return findings;
}

/** The `docker` target for auditKey(): the planted-key finder, with fragments pooled across the whole target. */
export async function dockerTarget(options: AuditOptions): Promise<Finding[]> {
  const fragments = new FragmentCollector(options.key);
  const detect: KeyDetector = (key, bytes, ctx) => findKeyInBytes(key, bytes, { ...ctx, decompress: options.decompress, fragments });
  const detectStream: StreamDetector = (key, chunks, ctx) => findKeyInStream(key, chunks, { ...ctx, decompress: options.decompress, fragments });
  const probe: KeyDetector = (key, bytes, ctx) => findKeyInBytes(key, bytes, { ...ctx, decompress: options.decompress });
  const found = await auditDocker({ key: options.key, fs: options.fs, dir: options.dir, detect, detectStream, probe });
  const pieces = fragments.finding('docker');
  if (pieces) found.push(pieces);
  return found;
}
