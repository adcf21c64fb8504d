// What `docker compose up` would give a project's container, read from its compose file: how to
// build the image (for the image builder) and what the container gets at run time (environment,
// env_file values, secret files under /run/secrets/). Used to start the image's command the way
// Compose would, without an engine.
import type { ReadonlyFs } from '../fs/types.ts';
import { parseCompose, type ComposeProject, type ComposeService } from '../leak/targets/compose-model.ts';
import { parseDotenv } from '../leak/targets/docker-vars.ts';

/** The names `docker compose` looks for, in its order of preference. */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

const dec = new TextDecoder();
const readText = (fs: ReadonlyFs, p: string) => fs.readFile(p).then((b) => dec.decode(b), () => undefined);

export interface ComposeFound {
  project: ComposeProject;
  /** The service whose image the project builds (the first with `build:`), else the first one. */
  service: ComposeService;
}

/** The compose file at the project's root, parsed; undefined when there is none. Throws on bad YAML. */
export async function findCompose(fs: ReadonlyFs): Promise<ComposeFound | undefined> {
  for (const name of COMPOSE_FILES) {
    const text = await readText(fs, name);
    if (text === undefined) continue;
    let project: ComposeProject;
    try {
      project = parseCompose(name, text, await readText(fs, '.env'));
    } catch (e) {
      throw new Error(`${name} is not valid YAML (${(e as Error).message.split('\n')[0]}). Check its indentation: two spaces per level, no tabs.`);
    }
    const service = project.services.find((s) => s.build) ?? project.services[0];
    if (!service) throw new Error(`${name} has no services. Add one under \`services:\`, e.g. \`web:\` with \`build: .\`.`);
    return { project, service };
  }
  return undefined;
}

export interface BuildSpec {
  dockerfile: string;
  context: string;
  target?: string;
  buildArgs: Record<string, string>;
  /** Build secrets by id, with their bytes (docker build --secret id=…). */
  secrets: Map<string, Uint8Array>;
  /** Where the spec came from, for messages. */
  from: string;
}

/** How the image is built: the compose service's `build:` if there is one, else ./Dockerfile. */
export async function buildSpec(fs: ReadonlyFs, compose: ComposeFound | undefined): Promise<BuildSpec> {
  const b = compose?.service.build;
  if (!b || !compose) return { dockerfile: 'Dockerfile', context: '', buildArgs: {}, secrets: new Map(), from: 'Dockerfile' };
  const secrets = new Map<string, Uint8Array>();
  for (const s of b.secrets) {
    const bytes = await secretBytes(fs, s, compose.project.interpolation);
    if (bytes) secrets.set(s.name, bytes);
  }
  return { dockerfile: b.dockerfile, context: b.context, target: b.target, buildArgs: b.args, secrets, from: `${compose.project.file} (service ${compose.service.name})` };
}

async function secretBytes(fs: ReadonlyFs, s: { file?: string; environment?: string }, vars: Map<string, string>): Promise<Uint8Array | undefined> {
  if (s.file) return fs.readFile(s.file).catch(() => undefined);
  // `environment:` secrets take a variable of the environment Compose runs in (here: the .env beside it).
  if (s.environment) {
    const v = vars.get(s.environment);
    return v === undefined ? undefined : new TextEncoder().encode(v);
  }
  return undefined;
}

export interface RuntimeConfig {
  env: Record<string, string>;
  /** Files Compose mounts into the container: "/run/secrets/<target>" → bytes. */
  files: Map<string, Uint8Array>;
  /** What was wrong (a missing env_file or secret file), in plain words. */
  problems: string[];
}

/** The environment and secret files Compose would give the service's container. */
export async function runtimeConfig(fs: ReadonlyFs, compose: ComposeFound): Promise<RuntimeConfig> {
  const { service, project } = compose;
  const env: Record<string, string> = {};
  const problems: string[] = [];
  for (const f of service.envFiles) {
    const text = await readText(fs, f.path);
    if (text === undefined) {
      if (f.required) problems.push(`env_file ${f.path} does not exist (docker compose up would stop here).`);
      continue;
    }
    for (const [k, v] of parseDotenv(text)) env[k] = v;
  }
  // `environment:` wins over env_file, as in Compose.
  for (const [k, v] of Object.entries(service.environment)) if (v !== undefined) env[k] = v;
  const files = new Map<string, Uint8Array>();
  for (const s of service.secrets) {
    const bytes = await secretBytes(fs, s, project.interpolation);
    if (!bytes) {
      problems.push(`secret "${s.name}" has no ${s.file ? `file at ${s.file}` : 'source'} (define it under the top-level \`secrets:\` with \`file:\`).`);
      continue;
    }
    files.set(s.target.startsWith('/') ? s.target : `/run/secrets/${s.target}`, bytes);
  }
  return { env, files, problems };
}
