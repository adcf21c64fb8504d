// What a Dockerfile build does, without a Docker engine: the stages, the variables in scope (global
// and per-stage ARG, build args, ENV inherited from a parent stage), the files COPY/ADD put into each
// stage (honouring .dockerignore, --exclude, --from, `${VAR}` in paths), the image config, and where
// the key can travel through a RUN step.
// RUN is NOT executed. It is modelled as taint: when the key can reach a RUN (an ARG or ENV holding
// it, a file holding it in the stage, a bind mount of the context), everything that stage writes
// from then on may hold it, and so does whatever a later stage copies out of it. A secret mount
// (RUN --mount=type=secret) is how a step gets the key without that: BuildKit keeps it out of layers.
// Used by the `docker` target (findings) and by the image builder (src/lib/image-build).
import { DockerIgnore, cleanPath } from './docker-ignore.ts';
import { parseCopyArgs, parseFrom, splitWords, type Instruction } from './dockerfile.ts';
import { expandVars } from './docker-vars.ts';

/** Why the key can reach a RUN step (plain words for a learner). */
export interface Taint {
  run: Instruction;
  reasons: TaintReason[];
}

export interface TaintReason {
  text: string;
  /** 'file': a file holding the key is readable to the step (ctxPath says which); 'value': an ARG or ENV value holds it. */
  kind: 'file' | 'value';
  ctxPath?: string;
  /** A value that came from a build arg (--build-arg, Compose build.args), not from the Dockerfile text. */
  buildArg?: boolean;
}

export interface ModelFile {
  /** Context path of the bytes; undefined for a heredoc. */
  ctxPath?: string;
  /** Inline content (COPY <<EOF). */
  inline?: string;
  via: Instruction;
}

export interface ModelLayer {
  via: Instruction;
  /** Absolute destination path → source. */
  files: Array<[string, ModelFile]>;
}

export interface HistoryEntry {
  created_by: string;
  empty_layer?: boolean;
  comment?: string;
}

export interface RunStep {
  ins: Instruction;
  command: string;
  /** Secret ids mounted with --mount=type=secret. */
  secrets: string[];
  /** ARG name=value pairs in scope, recorded in history as Docker does ("|1 NAME=value"). */
  args: Array<[string, string]>;
  taint?: Taint;
}

export interface ModelStage {
  index: number;
  name?: string;
  /** The FROM image (an outside image, or the name of an earlier stage). */
  base: string;
  parent?: ModelStage;
  workdir: string;
  files: Map<string, ModelFile>;
  args: Map<string, string | undefined>;
  /** ARG names whose value came from a build arg rather than the Dockerfile. */
  givenArgs: Set<string>;
  env: Map<string, string>;
  layers: ModelLayer[];
  history: HistoryEntry[];
  runs: RunStep[];
  /** Set once the key can reach this stage's outputs through a build step. */
  taint?: Taint;
  /** COPY --from / FROM of a tainted stage: those outputs came into this stage. */
  inherited: Array<{ via: Instruction; from: ModelStage; taint: Taint }>;
  config: { cmd?: string[]; entrypoint?: string[]; labels: Record<string, string>; user?: string; exposed: string[] };
}

export interface ModelOptions {
  instructions: Instruction[];
  /** Files of the build context (already filtered by .dockerignore), relative to the context root. */
  contextFiles: string[];
  /** --build-arg / Compose build.args values. */
  buildArgs?: Record<string, string>;
  target?: string;
  escape?: '\\' | '`';
  /** Does this context file hold the key (any form)? Cached by the caller. */
  fileHoldsKey(ctxPath: string): Promise<boolean>;
  /** Does this text hold the key (any form)? */
  textHoldsKey(text: string): Promise<boolean>;
}

export interface BuildModel {
  stages: ModelStage[];
  final?: ModelStage;
  /** ARGs declared before the first FROM. */
  globalArgs: Map<string, string | undefined>;
}

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Go's filepath.Match for one "/"-separated path (used for COPY sources). */
export function globToRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') re += pattern[i + 1] === '!' || pattern[i + 1] === '^' ? (i++, '[^') : '[';
    else if (ch === ']') re += ']';
    else if (ch === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i];
    else re += ch.replace(/[.+(){}|^$\\]/g, '\\$&');
  }
  try {
    return new RegExp(re + '$');
  } catch {
    return /^\b$/;
  }
}

function resolveDest(workdir: string, dest: string): string {
  const abs = dest.startsWith('/') ? dest : `${workdir.replace(/\/$/, '')}/${dest}`;
  return cleanPath(abs);
}

/** `NAME=value NAME2="v 2"` pairs, or the legacy `NAME value with spaces` form of ENV. */
export function parsePairs(args: string, legacy: boolean): Array<[string, string | undefined]> {
  const words = splitWords(args);
  if (legacy && words.length && !words[0].includes('=')) {
    const m = /^(\S+)\s+([\s\S]*)$/.exec(args.trim());
    return m ? [[m[1], m[2].replace(/^"(.*)"$/s, '$1')]] : [[words[0], undefined]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? [w, undefined] : [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** CMD / ENTRYPOINT in JSON or shell form, as the image config stores it. */
function commandForm(args: string): string[] {
  const t = args.trim();
  if (t.startsWith('[')) {
    try {
      const v = JSON.parse(t);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    } catch {
      // Not valid JSON: Docker then runs it in the shell form.
    }
  }
  return ['/bin/sh', '-c', t];
}

/** Leading `--flag=value` options of RUN, and the command after them. */
export function parseRunArgs(args: string): { mounts: Array<Record<string, string>>; command: string } {
  const mounts: Array<Record<string, string>> = [];
  let rest = args.trim();
  for (;;) {
    const m = /^--([a-zA-Z-]+)(?:=(\S*))?\s*/.exec(rest);
    if (!m) break;
    if (m[1] === 'mount' && m[2]) {
      const opts: Record<string, string> = {};
      for (const part of m[2].split(',')) {
        const eq = part.indexOf('=');
        if (eq < 0) opts[part] = 'true';
        else opts[part.slice(0, eq)] = part.slice(eq + 1);
      }
      opts.type ??= 'bind';
      mounts.push(opts);
    }
    rest = rest.slice(m[0].length);
  }
  return { mounts, command: rest };
}

function newStage(index: number, image: string, name: string | undefined, parent: ModelStage | undefined): ModelStage {
  return {
    index,
    name,
    base: image,
    parent,
    workdir: parent?.workdir ?? '/',
    files: new Map(parent?.files ?? []),
    args: new Map(),
    givenArgs: new Set(),
    env: new Map(parent?.env ?? []),
    layers: [...(parent?.layers ?? [])],
    history: [...(parent?.history ?? [])],
    runs: [],
    taint: parent?.taint,
    inherited: [...(parent?.inherited ?? [])],
    config: { cmd: parent?.config.cmd, entrypoint: parent?.config.entrypoint, labels: { ...(parent?.config.labels ?? {}) }, user: parent?.config.user, exposed: [...(parent?.config.exposed ?? [])] },
  };
}

export async function modelBuild(opts: ModelOptions): Promise<BuildModel> {
  const escape = opts.escape ?? '\\';
  const buildArgs = opts.buildArgs ?? {};
  const stages: ModelStage[] = [];
  const globalArgs = new Map<string, string | undefined>();
  let cur: ModelStage | undefined;
  const findStage = (ref: string) => stages.find((s) => s.name && s.name === ref.toLowerCase()) ?? (/^\d+$/.test(ref) ? stages[Number(ref)] : undefined);
  const scope = (s: ModelStage) => new Map<string, string | undefined>([...s.args, ...s.env]);
  const expand = (s: ModelStage, text: string) => expandVars(text, scope(s), escape);

  for (const ins of opts.instructions) {
    const k = ins.keyword;
    if (k === 'FROM') {
      const { image, name } = parseFrom(expandVars(ins.args, globalArgs, escape));
      const parent = findStage(image);
      cur = newStage(stages.length, image, name, parent);
      if (parent?.taint) cur.inherited.push({ via: ins, from: parent, taint: parent.taint });
      stages.push(cur);
      continue;
    }
    if (k === 'ARG') {
      for (const [n, v] of parsePairs(ins.args, false)) {
        const target = cur ? cur.args : globalArgs;
        const given = Object.prototype.hasOwnProperty.call(buildArgs, n) ? buildArgs[n] : undefined;
        const dflt = v === undefined ? (cur ? globalArgs.get(n) : undefined) : cur ? expand(cur, v) : expandVars(v, globalArgs, escape);
        target.set(n, given ?? dflt);
        if (given !== undefined) cur?.givenArgs.add(n);
        const value = given ?? dflt;
        cur?.history.push({ created_by: value === undefined ? `ARG ${n}` : `ARG ${n}=${value}`, empty_layer: true });
      }
      continue;
    }
    if (!cur) continue;
    const text = `${k} ${ins.args}`;
    switch (k) {
      case 'ENV': {
        const pairs = parsePairs(ins.args, true).map(([n, v]) => [n, expand(cur!, v ?? '')] as [string, string]);
        for (const [n, v] of pairs) cur.env.set(n, v);
        cur.history.push({ created_by: `ENV ${pairs.map(([n, v]) => `${n}=${v}`).join(' ')}`, empty_layer: true });
        continue;
      }
      case 'WORKDIR':
        cur.workdir = resolveDest(cur.workdir, expand(cur, ins.args.trim().replace(/^["']|["']$/g, '')));
        cur.history.push({ created_by: `WORKDIR ${cur.workdir}`, empty_layer: true });
        continue;
      case 'LABEL':
        for (const [n, v] of parsePairs(expand(cur, ins.args), false)) cur.config.labels[n] = v ?? '';
        cur.history.push({ created_by: `LABEL ${expand(cur, ins.args)}`, empty_layer: true });
        continue;
      case 'CMD':
        cur.config.cmd = commandForm(ins.args);
        cur.history.push({ created_by: `CMD ${JSON.stringify(cur.config.cmd)}`, empty_layer: true });
        continue;
      case 'ENTRYPOINT':
        cur.config.entrypoint = commandForm(ins.args);
        cur.history.push({ created_by: `ENTRYPOINT ${JSON.stringify(cur.config.entrypoint)}`, empty_layer: true });
        continue;
      case 'USER':
        cur.config.user = expand(cur, ins.args.trim());
        cur.history.push({ created_by: `USER ${cur.config.user}`, empty_layer: true });
        continue;
      case 'EXPOSE':
        cur.config.exposed.push(...splitWords(expand(cur, ins.args)));
        cur.history.push({ created_by: `EXPOSE ${expand(cur, ins.args)}`, empty_layer: true });
        continue;
      case 'RUN':
        await modelRun(cur, ins, opts, stages);
        continue;
      case 'COPY':
      case 'ADD':
        copyInto(cur, ins, opts.contextFiles, findStage, (t) => expand(cur!, t));
        continue;
      default:
        cur.history.push({ created_by: text, empty_layer: true });
    }
  }
  const final = opts.target ? (findStage(opts.target) ?? stages[stages.length - 1]) : stages[stages.length - 1];
  return { stages, final, globalArgs };
}

async function modelRun(cur: ModelStage, ins: Instruction, opts: ModelOptions, stages: ModelStage[]): Promise<void> {
  const { mounts, command } = parseRunArgs(ins.args);
  const reasons: TaintReason[] = [];
  const argPairs: Array<[string, string]> = [];
  for (const [n, v] of cur.args) {
    if (v === undefined) continue;
    argPairs.push([n, v]);
    if (await opts.textHoldsKey(v)) reasons.push({ kind: 'value', buildArg: cur.givenArgs.has(n), text: `the build arg ${n} holds the key (ARG values reach every RUN after them as variables, and "docker history" records them)` });
  }
  for (const [n, v] of cur.env) if (await opts.textHoldsKey(v)) reasons.push({ kind: 'value', text: `ENV ${n} holds the key` });
  // A key written in the command line itself is in the Dockerfile text and in "docker history": the
  // docker target reports that literal, the image target the history entry.
  const seen = new Set<string>();
  for (const [dest, f] of cur.files) {
    if (f.ctxPath !== undefined ? seen.has(f.ctxPath) : false) continue;
    if (f.ctxPath !== undefined) seen.add(f.ctxPath);
    const holds = f.ctxPath !== undefined ? await opts.fileHoldsKey(f.ctxPath) : await opts.textHoldsKey(f.inline ?? '');
    if (holds)
      reasons.push({
        kind: 'file',
        ctxPath: f.ctxPath,
        text: `the stage holds ${dest}${f.ctxPath !== undefined ? ` (copied from ${f.ctxPath} by ${f.via.keyword} on line ${f.via.line})` : ''}, and build tools read such files (a .env above all)`,
      });
  }
  for (const m of mounts) {
    if (m.type !== 'bind' || m.from) continue;
    const src = cleanPath(m.source ?? m.src ?? '.').replace(/^\//, '');
    for (const file of opts.contextFiles) {
      if (src !== '.' && file !== src && !file.startsWith(`${src}/`)) continue;
      if (await opts.fileHoldsKey(file)) reasons.push({ kind: 'file', ctxPath: file, text: `RUN --mount=type=bind makes ${file} readable to the step` });
    }
  }
  void stages;
  const secrets = mounts.filter((m) => m.type === 'secret').map((m) => m.id ?? m.target ?? '');
  const step: RunStep = { ins, command, secrets, args: argPairs };
  if (reasons.length) {
    step.taint = { run: ins, reasons };
    cur.taint ??= step.taint;
  }
  cur.runs.push(step);
  const argPrefix = argPairs.length ? `|${argPairs.length} ${argPairs.map(([n, v]) => `${n}=${v}`).join(' ')} ` : '';
  cur.history.push({
    created_by: `RUN ${argPrefix}/bin/sh -c ${command} # buildkit`,
    empty_layer: true,
    comment: 'not executed: built by Leakproof without a Docker engine, so this step wrote nothing',
  });
}

function copyInto(cur: ModelStage, ins: Instruction, contextFiles: string[], findStage: (ref: string) => ModelStage | undefined, expand: (t: string) => string): void {
  const c = parseCopyArgs(ins.args);
  const sources = c.sources.map(expand);
  const destRaw = expand(c.dest);
  const dest = resolveDest(cur.workdir, destRaw);
  const intoDir = destRaw.endsWith('/') || sources.length + c.heredocSources > 1;
  const layer: ModelLayer = { via: ins, files: [] };
  const put = (to: string, f: ModelFile) => {
    const key = cleanPath(to);
    cur.files.set(key, f);
    layer.files.push([key, f]);
  };
  for (const h of ins.heredocs) {
    put(intoDir ? `${dest.replace(/\/$/, '')}/${h.name}` : dest, { inline: h.body, via: ins });
  }
  if (c.flags.from) {
    const fromRef = expand(c.flags.from).toLowerCase();
    const src = findStage(fromRef);
    if (src) {
      let known = true;
      for (const s of sources) {
        const srcAbs = resolveDest('/', s);
        const re = globToRegExp(srcAbs);
        const n = srcAbs === '/' ? 0 : srcAbs.split('/').length - 1;
        let exact = false;
        for (const [path, f] of src.files) {
          const segs = path.split('/').slice(1);
          const head = '/' + segs.slice(0, n).join('/');
          if (!(n === 0 || re.test(head))) continue;
          const rest = segs.slice(n).join('/');
          if (!rest) exact = true;
          put(rest ? `${dest.replace(/\/$/, '')}/${rest}` : intoDir ? `${dest.replace(/\/$/, '')}/${base(path)}` : dest, f);
        }
        // A single file the model knows came from the context is copied as it is; a folder, a
        // wildcard or a path only a RUN step made may hold what that step wrote.
        if (!exact) known = false;
      }
      if (src.taint && !known) cur.inherited.push({ via: ins, from: src, taint: src.taint });
    }
    // An outside image (COPY --from=nginx:alpine …): nothing of ours in it.
  } else {
    const excludes = c.excludes.map((e) => new DockerIgnore([expand(e)]));
    for (const raw of sources) {
      if (/^(https?:\/\/|git@)/.test(raw)) continue;
      let s = cleanPath(raw);
      if (s.startsWith('/')) s = s.slice(1);
      if (s === '' || s === '.') s = '.';
      const n = s === '.' ? 0 : s.split('/').length;
      const re = globToRegExp(s);
      for (const file of contextFiles) {
        if (excludes.some((e) => e.ignores(file))) continue;
        const segs = file.split('/');
        if (n > segs.length) continue;
        if (n > 0 && !re.test(segs.slice(0, n).join('/'))) continue;
        const rest = segs.slice(n).join('/');
        put(rest ? `${dest.replace(/\/$/, '')}/${rest}` : intoDir || /[*?[]/.test(s) ? `${dest.replace(/\/$/, '')}/${base(file)}` : dest, { ctxPath: file, via: ins });
      }
    }
  }
  cur.layers.push(layer);
  cur.history.push({ created_by: `${ins.keyword} ${expand(ins.args)} # buildkit` });
}
