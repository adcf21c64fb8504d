// ── For the check panel (H4) ─────────────────────────────────────────────────────────────────
// Call `chooseSession(chapter, { onProgress })` once per chapter page; it returns an
// ExerciseSession on the best engine that can run here, and `session.reason` says why that one
// (show it: it explains a fallback, e.g. "WebContainer did not start within 15 s …").
// Calling it when the exercise opens, rather than on the first Check, lets WebContainer boot and
// esbuild-wasm warm up (its first build is slow) while the learner reads and edits.
//
// Order: local (the page carries the local engine's token: served by `npm start`) → WebContainer
// (page cross-origin isolated, SharedArrayBuffer, not iOS; boot raced against a time limit) →
// in-browser (esbuild-wasm; runtime checks skipped). `?engine=local|webcontainer|in-browser` or the
// saved setting (`setPreferredEngine`) forces one; a forced engine that cannot run falls back, and
// the reason says so. `?wcTimeout=3000` shortens the WebContainer boot limit (tests).
// Each engine's module is loaded with import() only when it is chosen.
// A deploy without a StackBlitz licence builds with PUBLIC_LEAKPROOF_WEBCONTAINER=off: WebContainer
// is then never offered (docs/hosted-engines.md, "Licence").
// ──────────────────────────────────────────────────────────────────────────────────────────────
import type { EngineKind, EngineProgress } from '../lib/exercise/engine.ts';
import type { ExerciseDefinition } from '../lib/exercise/define.ts';
import type { ExerciseSession } from '../lib/exercise/session.ts';
import type { BrowserFacts } from './webcontainer/boot.ts';

export const ENGINE_KINDS: readonly EngineKind[] = ['local', 'webcontainer', 'in-browser'];
/** The meta tag the course's own server puts into every page (its per-start token as content). */
export const LOCAL_TOKEN_META = 'leakproof-engine-token';
/** localStorage key of the "preferred engine" setting. */
export const ENGINE_SETTING_KEY = 'leakproof:engine';
export const ENGINE_LABELS: Record<EngineKind, string> = {
  local: 'your computer (local engine)',
  webcontainer: 'WebContainer (in this tab)',
  'in-browser': 'this browser only (in-browser engine)',
};

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Options every engine's createSession accepts (extra ones are ignored by engines that do not use them). */
export interface EngineSessionOptions {
  chapter: string;
  signal?: AbortSignal;
  reason?: string;
  loadDefinition?: (chapter: string) => Promise<ExerciseDefinition>;
  onProgress?: (p: EngineProgress) => void;
  /** WebContainer's boot time limit (default 15 s). */
  timeoutMs?: number;
  facts?: BrowserFacts;
  /** The planted key, when known before the first Check (lets the local engine start the chapter's platform early). */
  key?: string;
}

export type SessionModule = { createSession(o: EngineSessionOptions): Promise<ExerciseSession> };
export type ModuleLoaders = Partial<Record<EngineKind, () => Promise<SessionModule>>>;

// import.meta.glob rather than import(): a missing engine folder then means "not available"
// instead of a failed build, and each module is still its own lazily loaded chunk.
const globbed = import.meta.glob<SessionModule>(['./local/session.ts', './webcontainer/session.ts', './in-browser/session.ts']);
const defaultLoaders: ModuleLoaders = {
  local: globbed['./local/session.ts'],
  webcontainer: globbed['./webcontainer/session.ts'],
  'in-browser': globbed['./in-browser/session.ts'],
};

export interface ChooseOptions {
  signal?: AbortSignal;
  /** The planted key, passed on to the engine's createSession. */
  key?: string;
  onProgress?: (p: EngineProgress) => void;
  /** Defaults: location.href, localStorage, document, the real browser. Tests pass fakes. */
  url?: string;
  storage?: StorageLike | null;
  hasLocalToken?: boolean;
  facts?: BrowserFacts;
  loaders?: ModuleLoaders;
  loadDefinition?: (chapter: string) => Promise<ExerciseDefinition>;
  /** WebContainer boot limit; `?wcTimeout=` overrides; default 15 s. */
  wcTimeoutMs?: number;
  /** Default: PUBLIC_LEAKPROOF_WEBCONTAINER=off at build time. */
  webContainerOff?: boolean;
}

export interface EnginePlan {
  /** Engines to try, in order. */
  order: EngineKind[];
  forced?: EngineKind;
  /** Why engines were left out or a setting ignored, for the learner. */
  notes: string[];
  wcTimeoutMs?: number;
}

function defaultStorage(): StorageLike | null {
  try {
    return (globalThis as { localStorage?: StorageLike }).localStorage ?? null;
  } catch {
    return null; // storage blocked (privacy settings): no saved setting
  }
}

export function hasLocalTokenMeta(doc: Pick<Document, 'querySelector'> | undefined = (globalThis as { document?: Document }).document): boolean {
  const meta = doc?.querySelector(`meta[name="${LOCAL_TOKEN_META}"]`);
  return !!meta?.getAttribute('content');
}

/** The course server put this in place of the token: it runs the local engine, but this browser has not signed in. */
export const LOCAL_SIGN_IN_META = 'leakproof-engine-signin';
export const SIGN_IN_REASON =
  'The course server on this computer runs the local engine, but this browser has not signed in to it: open the link `npm start` printed in its terminal (it ends in /__engine/login?token=…), then reload this page.';

export function needsLocalSignIn(doc: Pick<Document, 'querySelector'> | undefined = (globalThis as { document?: Document }).document): boolean {
  return !!doc?.querySelector(`meta[name="${LOCAL_SIGN_IN_META}"]`);
}

export function getPreferredEngine(storage: StorageLike | null = defaultStorage()): EngineKind | null {
  const v = storage?.getItem(ENGINE_SETTING_KEY);
  return v && (ENGINE_KINDS as readonly string[]).includes(v) ? (v as EngineKind) : null;
}

/** The setting (for instructors): null clears it. */
export function setPreferredEngine(kind: EngineKind | null, storage: StorageLike | null = defaultStorage()): void {
  if (kind === null) storage?.removeItem(ENGINE_SETTING_KEY);
  else storage?.setItem(ENGINE_SETTING_KEY, kind);
}

/** WebContainer switched off for this build (Astro inlines PUBLIC_ variables at build time). */
export const WEBCONTAINER_OFF_REASON = 'WebContainer is switched off for this site (it was built with PUBLIC_LEAKPROOF_WEBCONTAINER=off).';

export function webContainerOffByBuild(): boolean {
  const env = (import.meta as { env?: Record<string, unknown> }).env;
  return String(env?.PUBLIC_LEAKPROOF_WEBCONTAINER ?? '').toLowerCase() === 'off';
}

/** Decides the order without loading anything (pure: unit-tested with fakes). */
export function planEngines(input: { url: string; storage: StorageLike | null; hasLocalToken: boolean; localSignInNeeded?: boolean; wcBlockedReason: string | null; wcTimeoutMs?: number }): EnginePlan {
  const notes: string[] = [];
  if (!input.hasLocalToken && input.localSignInNeeded) notes.push(SIGN_IN_REASON);
  const params = new URL(input.url, 'http://localhost/').searchParams;
  let forced: EngineKind | undefined;
  const asked = params.get('engine');
  if (asked !== null) {
    if ((ENGINE_KINDS as readonly string[]).includes(asked)) forced = asked as EngineKind;
    else notes.push(`The address asks for an engine called "${asked}", which does not exist (use ${ENGINE_KINDS.join(', ')}): ignored.`);
  }
  forced ??= getPreferredEngine(input.storage) ?? undefined;

  let wcTimeoutMs = input.wcTimeoutMs;
  const t = params.get('wcTimeout');
  if (t !== null) {
    const n = Number(t);
    if (Number.isFinite(n) && n >= 500 && n <= 120_000) wcTimeoutMs = n;
    else notes.push(`wcTimeout=${t} is not a time between 500 and 120000 ms: the default was used.`);
  }

  const available = (k: EngineKind): string | null => {
    if (k === 'local') return input.hasLocalToken ? null : input.localSignInNeeded ? 'This browser has not signed in to the course server.' : 'This page was not served by the course\'s own server (`npm start`), so the local engine is not available.';
    if (k === 'webcontainer') return input.wcBlockedReason;
    return null;
  };
  const order: EngineKind[] = [];
  if (forced) {
    const why = available(forced);
    if (why === null) order.push(forced);
    else notes.push(`${ENGINE_LABELS[forced]} was asked for, but cannot run here. ${why}`);
  }
  for (const k of ENGINE_KINDS) {
    if (order.includes(k)) continue;
    const why = available(k);
    if (why === null) order.push(k);
    else if (k === 'webcontainer' && forced !== 'webcontainer' && !input.hasLocalToken) notes.push(`WebContainer is not used: ${why}`);
  }
  return { order, forced, notes, wcTimeoutMs };
}

/** The session on the best engine that starts; its `reason` explains the choice and any fallback. */
export async function chooseSession(chapter: string, o: ChooseOptions = {}): Promise<ExerciseSession> {
  const { browserFacts, whyNotWebContainer } = await import('./webcontainer/boot.ts');
  const facts = o.facts ?? browserFacts();
  const url = o.url ?? (globalThis as { location?: Location }).location?.href ?? 'http://localhost/';
  const plan = planEngines({
    url,
    storage: o.storage === undefined ? defaultStorage() : o.storage,
    hasLocalToken: o.hasLocalToken ?? hasLocalTokenMeta(),
    localSignInNeeded: o.hasLocalToken === undefined && needsLocalSignIn(),
    wcBlockedReason: (o.webContainerOff ?? webContainerOffByBuild()) ? WEBCONTAINER_OFF_REASON : whyNotWebContainer(facts),
    wcTimeoutMs: o.wcTimeoutMs,
  });
  const loaders = { ...defaultLoaders, ...o.loaders };
  const notes = [...plan.notes];
  for (const kind of plan.order) {
    const load = loaders[kind];
    if (!load) {
      notes.push(`${ENGINE_LABELS[kind]} is not part of this build.`);
      continue;
    }
    try {
      const mod = await load();
      const reason = notes.length ? notes.join(' ') : undefined;
      const session = await mod.createSession({
        chapter,
        signal: o.signal,
        reason,
        loadDefinition: o.loadDefinition,
        onProgress: o.onProgress,
        timeoutMs: plan.wcTimeoutMs,
        facts,
        key: o.key,
      });
      // Engines that do not take `reason` (the local session) still report the fallback story.
      if (reason && !session.reason) return withReason(session, reason);
      return session;
    } catch (e) {
      if (o.signal?.aborted) throw e;
      notes.push((e as Error)?.message ?? `${ENGINE_LABELS[kind]} could not start.`);
    }
  }
  throw new Error(`No engine could start for this chapter. ${notes.join(' ')}`);
}

function withReason(s: ExerciseSession, reason: string): ExerciseSession {
  return {
    engine: s.engine,
    reason,
    on: (event, listener) => s.on(event, listener),
    check: (files, key, signal) => s.check(files, key, signal),
    stop: () => s.stop(),
    dispose: () => s.dispose(),
  };
}
