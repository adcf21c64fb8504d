// Public API of the leak detector. Pure TypeScript: runs in Node, a Web Worker and WebContainer;
// file access (ReadonlyFs) and decompression (Decompressors) are passed in.
//
//   findKeyInBytes(key, bytes, { file, target, decompress?, fragments? }) → Promise<Finding[]>
//   findKeyInStream(key, chunks, { file, target, ... })                   → Promise<Finding[]>
//   auditKey({ key, target, fs, dir?, decompress? })                       → Promise<LeakReport>
//   maskKey(key) → "sk-proj-Ab…(164 chars)…yZ"
//   new FragmentCollector(key): gathers fragments across the files of one target.
import type { AuditOptions, Finding, LeakReport, Target } from './types.ts';

export { findKeyInBytes, type FindOptions } from './detect-key.ts';
export { findKeyInStream } from './stream.ts';
export { maskKey } from './mask.ts';
export { FragmentCollector, describeForm, MIN_FRAGMENT, FRAGMENT_COVERAGE } from './fragments.ts';
export type { AuditOptions, Decompressors, DetectContext, Finding, KeyDetector, LeakReport, Target } from './types.ts';

/** A target's audit: every finding of the key in what the target covers. */
export type TargetAudit = (options: AuditOptions) => Promise<Finding[]>;

const targets: Partial<Record<Target, () => Promise<TargetAudit>>> = {
  source: () => import('./targets/source.ts').then((m) => m.auditSource),
  bundle: () => import('./targets/bundle.ts').then((m) => m.auditBundle),
};

/** Lets a target (git, docker, image) plug in without this file importing it eagerly. */
export function registerTarget(target: Target, load: () => Promise<TargetAudit>): void {
  targets[target] = load;
}

/** Audits one target for the planted key: `leak` is true when any form of it was found. */
export async function auditKey(options: AuditOptions): Promise<LeakReport> {
  if (!options.key || options.key.trim() !== options.key || options.key.length < 16) {
    throw new Error('The key to look for is empty, too short or has surrounding spaces: pass the exact planted key (sk-proj-…).');
  }
  const load = targets[options.target];
  if (!load) {
    throw new Error(`Unknown target "${options.target}": use one of ${Object.keys(targets).join(', ')}.`);
  }
  const audit = await load();
  const findings = await audit(options);
  return { leak: findings.length > 0, findings };
}

// git, docker and image targets (each loaded only when asked for) and the real-key scan.
registerTarget('git', () => import('./targets/git.ts').then((m) => m.gitTarget));
registerTarget('docker', () => import('./targets/docker.ts').then((m) => m.dockerTarget));
registerTarget('image', () => import('./targets/image.ts').then((m) => m.imageTarget));
export type { ScanOptions } from './scan/index.ts';
/** Real-looking OpenAI keys in a project (source + git history by default); loaded on demand. */
export async function scanProject(options: import('./scan/index.ts').ScanOptions): Promise<Finding[]> {
  return (await import('./scan/index.ts')).scanProject(options);
}
