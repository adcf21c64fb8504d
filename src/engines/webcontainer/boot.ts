// One WebContainer per tab: booted on first use, kept across chapters (a second WebContainer.boot()
// in a page throws). Boot state is explicit, as in TutorialKit's on-demand boot.
//
// `WebContainer.boot()` loads its runtime from StackBlitz's hosts in an iframe and waits for a
// message from it; when those hosts are unreachable (company firewall, offline workshop, this
// project's own CI machines) it never settles. So it is raced against a time limit, and the
// learner is told in plain words what happened and what to do.
import type { EngineProgress } from '../../lib/exercise/engine.ts';
import type { WebContainerLike } from './types.ts';

export type BootState = 'unknown' | 'blocked' | 'booting' | 'booted' | 'failed';

export interface BootStatus {
  state: BootState;
  /** Why it is blocked or failed, in words for the learner. */
  reason?: string;
  progress: EngineProgress;
}

export const DEFAULT_BOOT_TIMEOUT_MS = 15_000;

/** What a failed or blocked boot tells the learner; the README's start command is `npm start`. */
export const WHAT_TO_DO =
  'What you can do: allow StackBlitz\'s hosts on this network (stackblitz.com, *.stackblitz.io, *.staticblitz.com, *.webcontainer.io, *.webcontainer-api.io), try another browser (a recent Chrome, Edge or Firefox on a computer), or run the course on your own computer with `npm start` (see the README). Trying WebContainer again needs a page reload.';

export class BootError extends Error {
  readonly state: 'blocked' | 'failed';
  constructor(state: 'blocked' | 'failed', message: string) {
    super(message);
    this.name = 'BootError';
    this.state = state;
  }
}

export interface BrowserFacts {
  crossOriginIsolated?: boolean;
  hasSharedArrayBuffer?: boolean;
  userAgent?: string;
  maxTouchPoints?: number;
}

export function browserFacts(g: typeof globalThis = globalThis): BrowserFacts {
  const nav = (g as { navigator?: Navigator }).navigator;
  return {
    crossOriginIsolated: (g as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    hasSharedArrayBuffer: typeof (g as { SharedArrayBuffer?: unknown }).SharedArrayBuffer === 'function',
    userAgent: nav?.userAgent ?? '',
    maxTouchPoints: nav?.maxTouchPoints ?? 0,
  };
}

/** iPhone/iPad browsers are all WebKit, which WebContainer does not support well (StackBlitz's browser-support page). */
export function isIOS(f: BrowserFacts): boolean {
  const ua = f.userAgent ?? '';
  return /\b(iPhone|iPad|iPod)\b/.test(ua) || (/\bMacintosh\b/.test(ua) && (f.maxTouchPoints ?? 0) > 1);
}

/** Why WebContainer cannot run here, or null when it may (it can still fail to boot). */
export function whyNotWebContainer(f: BrowserFacts): string | null {
  if (!f.crossOriginIsolated) {
    return 'WebContainer needs a cross-origin isolated page (the site must send the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), and this page is not.';
  }
  if (!f.hasSharedArrayBuffer) return 'WebContainer needs SharedArrayBuffer, which this browser does not offer.';
  if (isIOS(f)) return 'WebContainer does not run on iPhone and iPad browsers.';
  return null;
}

export type BootFn = (options: { coep: 'require-corp'; workdirName: string }) => Promise<WebContainerLike>;

interface Singleton {
  status: BootStatus;
  promise?: Promise<WebContainerLike>;
  container?: WebContainerLike;
  listeners: Set<(s: BootStatus) => void>;
}

const singleton: Singleton = { status: { state: 'unknown', progress: { value: 0, text: 'not started' } }, listeners: new Set() };

function set(status: BootStatus): void {
  singleton.status = status;
  for (const l of singleton.listeners) l(status);
}

export function bootStatus(): BootStatus {
  return singleton.status;
}

export function onBootStatus(listener: (s: BootStatus) => void): () => void {
  singleton.listeners.add(listener);
  return () => singleton.listeners.delete(listener);
}

/** The real boot, loaded only when WebContainer is chosen. */
const realBoot: BootFn = async (options) => {
  const { WebContainer } = await import('@webcontainer/api');
  return (await WebContainer.boot(options)) as unknown as WebContainerLike;
};

export interface BootOptions {
  timeoutMs?: number;
  facts?: BrowserFacts;
  /** Tests pass a fake; the page uses @webcontainer/api. */
  boot?: BootFn;
}

/**
 * The tab's WebContainer: boots it the first time (raced against `timeoutMs`), then returns the
 * same one. Throws BootError with a learner-facing message when blocked, failed or timed out;
 * after a failure it keeps failing with the same message until the page is reloaded.
 */
export function getWebContainer(o: BootOptions = {}): Promise<WebContainerLike> {
  const s = singleton.status;
  if (s.state === 'booted' && singleton.container) return Promise.resolve(singleton.container);
  if (s.state === 'booting' && singleton.promise) return singleton.promise;
  if (s.state === 'failed' || s.state === 'blocked') return Promise.reject(new BootError(s.state, s.reason ?? 'WebContainer could not start.'));

  const why = whyNotWebContainer(o.facts ?? browserFacts());
  if (why) {
    const reason = `${why} ${WHAT_TO_DO}`;
    set({ state: 'blocked', reason, progress: { value: 0, text: 'WebContainer cannot run in this browser' } });
    return Promise.reject(new BootError('blocked', reason));
  }

  const timeoutMs = o.timeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
  set({ state: 'booting', progress: { value: 0.1, text: 'booting WebContainer' } });
  // coep must match the served header (public/_headers, vercel.json, scripts/serve.mjs send require-corp).
  const boot = (o.boot ?? realBoot)({ coep: 'require-corp', workdirName: 'leakproof' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(
        new BootError(
          'failed',
          `WebContainer did not start within ${Math.round(timeoutMs / 1000)} s. It loads from StackBlitz's servers, and this network or browser probably blocks them. ${WHAT_TO_DO}`,
        ),
      );
    }, timeoutMs);
  });
  singleton.promise = Promise.race([boot, timeout]).then(
    (container) => {
      clearTimeout(timer);
      singleton.container = container;
      set({ state: 'booted', progress: { value: 1, text: 'WebContainer ready' } });
      return container;
    },
    (e: unknown) => {
      clearTimeout(timer);
      const reason =
        e instanceof BootError ? e.message : `WebContainer could not start: ${(e as Error)?.message ?? String(e)}. ${WHAT_TO_DO}`;
      set({ state: 'failed', reason, progress: { value: 0, text: 'WebContainer did not start' } });
      singleton.promise = undefined;
      throw e instanceof BootError ? e : new BootError('failed', reason);
    },
  );
  // A boot that settles after the time limit is torn down: the page has moved on to another engine,
  // and a half-used container would only hold memory. (A second boot() would throw anyway.)
  boot.then(
    (late) => {
      if (timedOut) late.teardown?.();
    },
    () => {},
  );
  return singleton.promise;
}

/** Tests only: forget the singleton (a real page never does; reload instead). */
export function resetBootForTests(): void {
  singleton.status = { state: 'unknown', progress: { value: 0, text: 'not started' } };
  singleton.promise = undefined;
  singleton.container = undefined;
  singleton.listeners.clear();
}
