// Public API of the leak detector. Pure TypeScript: runs in Node, a Web Worker and WebContainer;
// file access (ReadonlyFs) and decompression (Decompressors) are passed in.
//
//   findKeyInBytes(key, bytes, { file, target, commit?, layer?, decompress?, fragments? }) → Promise<Finding[]>
//   findKeyInStream(key, chunks, { ...same }, { window?, overlap? })                      → Promise<Finding[]>
//   auditKey({ key, target, fs, dir?, decompress? })                                      → Promise<LeakReport>
//   maskKey(key) → "sk-proj-Ab…(164 chars)…yZ"
//   new FragmentCollector(key): pools fragments across the files of one target (.add, .finding)
//
// Forms found (Finding.form): plain, reversed, rot13, hex (upper/lower, wrapped, spaced, split into
// string pieces), base64 and base64url at all three alignments (wrapped at any width, "\n" in JSON,
// split into string pieces), base64>base64 (nested, any alignments and alphabets), base64>utf16le,
// utf16le / utf16be (BOM or not), percent (full, partial, mixed), js-escape (\xXX, \uXXXX, \u{X},
// also doubly escaped JSON, full or partial), html-entity (&#N; &#xN; &hyphen; …, full or partial),
// char-codes (decimal or 0x, any spacing, one per line, String.fromCharCode), fragments; simple
// ciphers (forms/ciphers.ts): rotN / rot47 / shift±N / alnum-shiftN of the whole key or
// "-after-prefix" (the random part only), xor (byte < 32, as text), hex>xor, base64(url)>xor (any
// byte), base64>reversed, base64>rot13, reversed>base64; and inside
// containers, as "container>form": gzip>, brotli>, deflate> (whole files), base64-gzip> (H4sI…),
// data-url>, inline-sourcemap>, sourcemap> (a map's sourcesContent, naming the original file).
// Not findings: another key with the same prefix, a hash of the key, masked or truncated forms
// (fragments must cover 80% of the random part, in runs of 8+ characters), the variable's name.
//
// How (forms/scan.ts): one pass over aligned 32-bit words through a bit set of every 4-byte gram
// of every needle; rare hits are verified, decoded around (escapes, char codes) or opened
// (containers). See forms/needles.ts, forms/gram-index.ts, forms/decode.ts, fragments.ts.
import type { AuditOptions, Finding, LeakReport, Target } from './types.ts';
// The bundle target is small and has no dependencies: loaded with the core, so a bundle audit (a
// short process) loads one module file fewer.
import { auditBundle } from './targets/bundle.ts';

export { findKeyInBytes, type FindOptions } from './detect-key.ts';
export { findKeyInStream } from './stream.ts';
export { maskKey } from './mask.ts';
export { FragmentCollector, describeForm, MIN_FRAGMENT, FRAGMENT_COVERAGE } from './fragments.ts';
export type { AuditOptions, Decompressors, DetectContext, Finding, KeyDetector, LeakReport, Target } from './types.ts';

/** A target's audit: every finding of the key in what the target covers. */
export type TargetAudit = (options: AuditOptions) => Promise<Finding[]>;

const targets: Partial<Record<Target, () => Promise<TargetAudit>>> = {
  source: () => import('./targets/source.ts').then((m) => m.auditSource),
  bundle: async () => auditBundle,
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
// image: a tarball or image folder, or a project folder searched for them (targets/project.ts).
registerTarget('image', () => import('./targets/project.ts').then((m) => m.imageTargetInProject));
export type { PlannedAudit, ProjectLayout } from './targets/project.ts';
/** Every target that applies to a project folder (`leakproof audit --target all`); loaded on demand. */
export async function planProjectAudit(fs: import('../fs/types.ts').ReadonlyFs, dir: string) {
  return (await import('./targets/project.ts')).planProjectAudit(fs, dir);
}
export type { ScanOptions } from './scan/index.ts';
/** Real-looking OpenAI keys in a project (source + git history by default); loaded on demand. */
export async function scanProject(options: import('./scan/index.ts').ScanOptions): Promise<Finding[]> {
  return (await import('./scan/index.ts')).scanProject(options);
}
