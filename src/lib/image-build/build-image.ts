// Builds the image a Dockerfile describes without a Docker engine, as a real OCI image archive:
// the layers COPY/ADD make (honouring .dockerignore, --exclude, stages and --from, `${VAR}` paths),
// the config (Env, Cmd, Entrypoint, WorkingDir, Labels, ExposedPorts, User) and the history
// ("docker history": ARG values, ENV values, RUN command lines with the build args they saw).
// What it does not do, and says so in the result:
// - RUN steps are NOT executed (no engine to run them in). They are recorded in the history, and
//   modelled as taint (docker-build-model.ts): if the key can reach a RUN, what it writes may hold it.
// - The base image (FROM node:22-slim) is not pulled: its layers and its own config are not included.
// The `image` leak target audits the archive exactly as it audits a `docker save` tarball.
import type { ReadonlyFs } from '../fs/types.ts';
import { DockerIgnore } from '../leak/targets/docker-ignore.ts';
import { dockerfileEscape, parseDockerfile, type Instruction } from '../leak/targets/dockerfile.ts';
import { modelBuild, type BuildModel, type ModelFile, type ModelStage } from '../leak/targets/docker-build-model.ts';
import { joinRel } from '../leak/targets/compose-model.ts';
import { listFiles } from '../leak/targets/read-detect.ts';
import { writeOciArchive, type LayerFile } from './oci-archive.ts';

export class ImageBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageBuildError';
  }
}

export interface KeyProbes {
  fileHoldsKey(ctxPath: string): Promise<boolean>;
  textHoldsKey(text: string): Promise<boolean>;
}

export interface BuildImageOptions {
  fs: ReadonlyFs;
  /** Path of the Dockerfile inside `fs` (default "Dockerfile"). */
  dockerfile?: string;
  /** The build context folder inside `fs` ('' = root). */
  context?: string;
  target?: string;
  buildArgs?: Record<string, string>;
  /** Secret ids the build provides (docker build --secret id=…). */
  secrets?: string[];
  /** Answers "does this hold the key?" for the taint model; without it nothing counts as tainted. */
  probes?: KeyProbes;
  tag?: string;
}

export interface BuildStepTaint {
  /** The instruction that brings the key's possible outputs into the image (a RUN, COPY --from or FROM). */
  at: Instruction;
  run: Instruction;
  reasons: string[];
}

export interface BuiltImage {
  archive: Uint8Array;
  model: BuildModel;
  final: ModelStage;
  /** The image's files as a container would see them (later layers win). */
  rootfs: Map<string, Uint8Array>;
  config: { Env: string[]; Cmd?: string[]; Entrypoint?: string[]; WorkingDir: string; Labels: Record<string, string>; User?: string; ExposedPorts: Record<string, object> };
  /** Build steps through which the key can reach the final image. */
  taints: BuildStepTaint[];
  /** RUN steps the builder did not execute (all of them), in the final stage and before. */
  skippedRuns: Instruction[];
  /** Secret ids a RUN mounts that the build does not provide (docker build would fail on a required one). */
  missingSecrets: string[];
  /** Plain words on what this build is and is not. */
  notes: string[];
}

const dec = new TextDecoder();

export async function buildImage(opts: BuildImageOptions): Promise<BuiltImage> {
  const { fs } = opts;
  const dockerfile = opts.dockerfile ?? 'Dockerfile';
  const context = opts.context ?? '';
  let text: string;
  try {
    text = dec.decode(await fs.readFile(dockerfile));
  } catch {
    throw new ImageBuildError(`There is no ${dockerfile} to build. Create one at the project's root (or say where it is with \`build.dockerfile\` in compose.yaml).`);
  }
  const instructions = parseDockerfile(text);
  if (!instructions.some((i) => i.keyword === 'FROM'))
    throw new ImageBuildError(`${dockerfile} has no FROM line, so there is no image to build. Start it with a base image, e.g. \`FROM node:22-slim\`.`);
  const ignoreText = await fs.readFile(`${dockerfile}.dockerignore`).then(
    (b) => dec.decode(b),
    () => fs.readFile(joinRel(context, '.dockerignore')).then((b) => dec.decode(b), () => ''),
  );
  const di = DockerIgnore.fromText(ignoreText);
  const contextFiles = (await listFiles(fs, context)).filter((p) => !di.ignores(p));
  const probes = opts.probes ?? { fileHoldsKey: async () => false, textHoldsKey: async () => false };
  const model = await modelBuild({ instructions, contextFiles, buildArgs: opts.buildArgs, target: opts.target, escape: dockerfileEscape(text), ...probes });
  const final = model.final!;

  const read = async (f: ModelFile): Promise<Uint8Array> => (f.inline !== undefined ? new TextEncoder().encode(f.inline) : fs.readFile(joinRel(context, f.ctxPath!)));
  const layers: LayerFile[][] = [];
  const rootfs = new Map<string, Uint8Array>();
  for (const layer of final.layers) {
    const files: LayerFile[] = [];
    for (const [path, f] of layer.files) {
      const bytes = await read(f);
      files.push({ path, bytes });
      rootfs.set(path, bytes);
    }
    layers.push(files);
  }

  const env = [...final.env].map(([k, v]) => `${k}=${v}`);
  const config: BuiltImage['config'] = {
    Env: env,
    Cmd: final.config.cmd,
    Entrypoint: final.config.entrypoint,
    WorkingDir: final.workdir,
    Labels: final.config.labels,
    User: final.config.user,
    ExposedPorts: Object.fromEntries(final.config.exposed.map((p) => [p.includes('/') ? p : `${p}/tcp`, {}])),
  };
  const chain: ModelStage[] = [];
  for (let s: ModelStage | undefined = final; s; s = s.parent) chain.unshift(s);
  const history = [
    { created_by: `FROM ${chain[0].base}`, empty_layer: true, comment: 'base image not pulled: its layers and config are not in this archive' },
    ...final.history,
  ];
  const archive = await writeOciArchive({
    layers,
    tag: opts.tag ?? 'leakproof/exercise:latest',
    config: { architecture: 'amd64', os: 'linux', created: '1970-01-01T00:00:00Z', config, history },
    annotations: { 'dev.leakproof.built-by': 'Leakproof image builder, without a Docker engine: COPY/ADD layers, config and history; RUN steps not executed' },
  });

  const taints: BuildStepTaint[] = [];
  for (const s of chain) for (const r of s.runs) if (r.taint) taints.push({ at: r.ins, run: r.ins, reasons: r.taint.reasons.map((x) => x.text) });
  for (const inh of final.inherited) if (!chain.includes(inh.from)) taints.push({ at: inh.via, run: inh.taint.run, reasons: inh.taint.reasons.map((x) => x.text) });
  const provided = new Set(opts.secrets ?? []);
  const missingSecrets = [...new Set(model.stages.flatMap((s) => s.runs.flatMap((r) => r.secrets)).filter((id) => id && !provided.has(id)))];
  const skippedRuns = model.stages.flatMap((s) => s.runs.map((r) => r.ins));
  const notes = [
    `Built without a Docker engine: ${layers.length} layer${layers.length === 1 ? '' : 's'} from COPY/ADD, the config and the history of the final stage.`,
    skippedRuns.length
      ? `RUN steps are not executed (${skippedRuns.map((r) => `line ${r.line}`).join(', ')}); where the key could reach one, the result says so.`
      : 'The Dockerfile has no RUN steps.',
    `The base image (${chain[0].base}) is not pulled: its own layers are not part of this archive.`,
  ];
  return { archive, model, final, rootfs, config, taints, skippedRuns, missingSecrets, notes };
}
