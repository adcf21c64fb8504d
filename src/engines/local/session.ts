// ExerciseSession over the local engine (the course's own server runs the checks in Node). Loaded
// with import() by src/engines/choose.ts only when the page carries the engine token.
import type { CheckReport } from '../../lib/exercise/results.ts';
import type { EngineProgress } from '../../lib/exercise/engine.ts';
import type { ExerciseSession, SessionEvents } from '../../lib/exercise/session.ts';
import { EngineHttpError, LocalEngineClient, readToken, type PlatformInfo } from './client.ts';

export interface LocalSessionOptions {
  chapter: string;
  signal?: AbortSignal;
  reason?: string;
  onProgress?: (p: EngineProgress) => void;
  /** Default: the page's meta tag. */
  token?: string;
  heartbeatMs?: number;
  /** The planted key: lets the server start the chapter's mock platform with the session. */
  key?: string;
  /** Where `lp-platform-ready` / `lp-platform-closed` go (default: document). */
  events?: Pick<EventTarget, 'dispatchEvent'>;
}

export async function createSession(o: LocalSessionOptions): Promise<ExerciseSession> {
  const token = o.token ?? readToken();
  if (!token) throw new Error('The local engine is not available: this page was not served by the course\'s own server (`npm start`).');
  const client = new LocalEngineClient(token);
  // The dashboard panel (<PlatformPanel />) follows the session's platform through these events.
  const target = o.events ?? (typeof document === 'undefined' ? null : document);
  let platform: PlatformInfo | null = null;
  const platformReady = (p: PlatformInfo) => {
    if (platform && platform.url === p.url && platform.controlToken === p.controlToken) return;
    platform = { url: p.url, controlToken: p.controlToken };
    target?.dispatchEvent(new CustomEvent('lp-platform-ready', { detail: { ...platform } }));
  };
  const platformClosed = () => {
    if (!platform) return;
    const closed = platform;
    platform = null;
    target?.dispatchEvent(new CustomEvent('lp-platform-closed', { detail: { url: closed.url } }));
  };
  const open = async (signal?: AbortSignal) => {
    const created = await client.openSession(o.chapter, o.key, signal);
    if (created.platform) platformReady(created.platform);
    return created.id;
  };
  let id = await open(o.signal);
  const listeners: { [E in keyof SessionEvents]: Set<(d: SessionEvents[E]) => void> } = { progress: new Set(), output: new Set() };
  const emit = <E extends keyof SessionEvents>(e: E, d: SessionEvents[E]) => {
    for (const l of listeners[e]) l(d);
    if (e === 'progress') o.onProgress?.(d as EngineProgress);
  };
  // While the page is open the server keeps the session; without heartbeats it ends it (and its processes).
  const beat = setInterval(() => void client.post(id, 'heartbeat').catch(() => {}), o.heartbeatMs ?? 30_000);
  const onHide = () => client.leaveBeacon(id);
  addEventListener('pagehide', onHide);
  let disposed = false;

  async function runOnce(files: Record<string, string>, key: string, signal?: AbortSignal): Promise<CheckReport> {
    let report: CheckReport | null = null;
    let error: string | null = null;
    await client.check(
      id,
      { files, key },
      (l) => {
        if (l.type === 'platform') platformReady(l);
        else if (l.type === 'progress') emit('progress', { value: l.value, text: l.text });
        else if (l.type === 'output') emit('output', { text: l.text, stream: l.stream });
        else if (l.type === 'report') report = l.report;
        else if (l.type === 'error') error = l.message;
      },
      signal,
    );
    if (error) throw new Error(error);
    if (!report) throw new Error('The local engine stopped before it reported a result. Is the course server (`npm start`) still running?');
    return report;
  }

  return {
    engine: 'local',
    reason: o.reason ?? 'The course is served from your computer, so checks run there as real processes.',
    on(event, listener) {
      listeners[event].add(listener as never);
      return () => listeners[event].delete(listener as never);
    },
    async check(files, key, signal) {
      if (disposed) throw new Error('This exercise session has ended.');
      try {
        return await runOnce(files, key, signal);
      } catch (e) {
        // The server ended an idle session (laptop asleep): start a new one and try once more.
        if (e instanceof EngineHttpError && e.status === 404) {
          platformClosed();
          id = await open(signal);
          return runOnce(files, key, signal);
        }
        if (e instanceof EngineHttpError && e.status === 403) {
          throw new Error(`The course server no longer accepts this page (it restarted, or this browser is not signed in): ${e.message.replace(/^refused: /, '')} Open the newest link \`npm start\` printed in its terminal, then press Check again.`);
        }
        if (e instanceof TypeError) throw new Error('The course server (`npm start`) cannot be reached. Is it still running?');
        throw e;
      }
    },
    async stop() {
      await client.post(id, 'stop').catch(() => {});
      platformClosed();
    },
    async dispose() {
      disposed = true;
      clearInterval(beat);
      removeEventListener('pagehide', onHide);
      await client.post(id, 'leave').catch(() => {});
      platformClosed();
    },
  };
}
