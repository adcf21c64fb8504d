import { afterEach, describe, expect, it } from 'vitest';
import { chooseSession, ENGINE_SETTING_KEY, getPreferredEngine, hasLocalTokenMeta, LOCAL_TOKEN_META, planEngines, setPreferredEngine, type ModuleLoaders, type EngineSessionOptions } from '../../../src/engines/choose.ts';
import { resetBootForTests } from '../../../src/engines/webcontainer/boot.ts';
import { createSession as wcCreateSession } from '../../../src/engines/webcontainer/session.ts';
import type { EngineKind } from '../../../src/lib/exercise/engine.ts';
import type { ExerciseSession } from '../../../src/lib/exercise/session.ts';

afterEach(() => resetBootForTests());

function memoryStorage(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

const base = { url: 'https://course.example/chapters/03/', storage: null, hasLocalToken: false, wcBlockedReason: null as string | null };

describe('planEngines', () => {
  it.each([
    ['served by npm start', { hasLocalToken: true }, ['local', 'webcontainer', 'in-browser']],
    ['hosted, isolated', {}, ['webcontainer', 'in-browser']],
    ['hosted, not isolated', { wcBlockedReason: 'not isolated' }, ['in-browser']],
    ['forced in-browser', { url: 'https://x/?engine=in-browser', hasLocalToken: true }, ['in-browser', 'local', 'webcontainer']],
    ['forced webcontainer', { url: 'https://x/?engine=webcontainer', hasLocalToken: true }, ['webcontainer', 'local', 'in-browser']],
    ['forced local without a token', { url: 'https://x/?engine=local' }, ['webcontainer', 'in-browser']],
    ['setting', { storage: memoryStorage({ [ENGINE_SETTING_KEY]: 'in-browser' }) }, ['in-browser', 'webcontainer']],
    ['URL beats setting', { url: 'https://x/?engine=webcontainer', storage: memoryStorage({ [ENGINE_SETTING_KEY]: 'in-browser' }) }, ['webcontainer', 'in-browser']],
  ])('%s', (_n, over, order) => {
    expect(planEngines({ ...base, ...over } as typeof base).order).toEqual(order);
  });

  it('a page from the course server before signing in: no local engine, and the reason says how to sign in', () => {
    const p = planEngines({ ...base, localSignInNeeded: true });
    expect(p.order).toEqual(['webcontainer', 'in-browser']);
    expect(p.notes.join(' ')).toMatch(/has not signed in.*link `npm start` printed/);
  });

  it('explains a forced engine that cannot run, and unknown names', () => {
    const p = planEngines({ ...base, url: 'https://x/?engine=local' });
    expect(p.notes.join(' ')).toMatch(/local engine.*was asked for, but cannot run here.*npm start/);
    const q = planEngines({ ...base, url: 'https://x/?engine=docker' });
    expect(q.notes.join(' ')).toMatch(/"docker", which does not exist/);
    const r = planEngines({ ...base, url: 'https://x/?engine=webcontainer', wcBlockedReason: 'WebContainer needs SharedArrayBuffer.' });
    expect(r.order).toEqual(['in-browser']);
    expect(r.notes.join(' ')).toMatch(/WebContainer \(in this tab\) was asked for, but cannot run here\. WebContainer needs SharedArrayBuffer/);
  });

  it('reads ?wcTimeout= within bounds', () => {
    expect(planEngines({ ...base, url: 'https://x/?wcTimeout=3000' }).wcTimeoutMs).toBe(3000);
    const bad = planEngines({ ...base, url: 'https://x/?wcTimeout=abc' });
    expect(bad.wcTimeoutMs).toBeUndefined();
    expect(bad.notes.join()).toMatch(/wcTimeout=abc/);
  });

  it('keeps the setting', () => {
    const s = memoryStorage();
    setPreferredEngine('webcontainer', s);
    expect(getPreferredEngine(s)).toBe('webcontainer');
    setPreferredEngine(null, s);
    expect(getPreferredEngine(s)).toBeNull();
    expect(getPreferredEngine(memoryStorage({ [ENGINE_SETTING_KEY]: 'bogus' }))).toBeNull();
  });

  it('finds the local token meta only when it has content', () => {
    const doc = (content: string | null) => ({ querySelector: (sel: string) => (sel.includes(LOCAL_TOKEN_META) && content !== null ? { getAttribute: () => content } : null) }) as unknown as Document;
    expect(hasLocalTokenMeta(doc('abc'))).toBe(true);
    expect(hasLocalTokenMeta(doc(''))).toBe(false);
    expect(hasLocalTokenMeta(doc(null))).toBe(false);
  });
});

function fakeSession(kind: EngineKind, o: EngineSessionOptions): ExerciseSession {
  return { engine: kind, reason: o.reason, on: () => () => {}, check: async () => ({ passed: false, engine: kind, checks: [] }), stop: async () => {}, dispose: async () => {} };
}

describe('chooseSession', () => {
  const okFacts = { crossOriginIsolated: true, hasSharedArrayBuffer: true, userAgent: 'Chrome', maxTouchPoints: 0 };
  const loaded: EngineKind[] = [];
  const loaders = (over: ModuleLoaders = {}): ModuleLoaders => ({
    local: async () => (loaded.push('local'), { createSession: async (o) => fakeSession('local', o) }),
    webcontainer: async () => (loaded.push('webcontainer'), { createSession: async (o) => fakeSession('webcontainer', o) }),
    'in-browser': async () => (loaded.push('in-browser'), { createSession: async (o) => fakeSession('in-browser', o) }),
    ...over,
  });
  afterEach(() => void (loaded.length = 0));

  it('loads only the chosen engine', async () => {
    const s = await chooseSession('03', { url: 'https://x/', storage: null, hasLocalToken: true, facts: okFacts, loaders: loaders() });
    expect(s.engine).toBe('local');
    expect(loaded).toEqual(['local']);
  });

  it('falls back from a WebContainer that never boots to in-browser, with the reason (real boot race, fake boot)', async () => {
    const progress: string[] = [];
    const s = await chooseSession('03', {
      url: 'https://x/chapters/03/?engine=webcontainer&wcTimeout=500',
      storage: null,
      hasLocalToken: false,
      facts: okFacts,
      onProgress: (p) => progress.push(p.text),
      loaders: loaders({
        webcontainer: async () => ({
          createSession: (o) => wcCreateSession({ ...o, loadDefinition: async () => ({ chapter: '03', checks: [] }), boot: () => new Promise(() => {}) }),
        }),
      }),
    });
    expect(s.engine).toBe('in-browser');
    expect(s.reason).toMatch(/WebContainer did not start within 1 s/);
    expect(s.reason).toMatch(/reload/);
    expect(progress).toContain('booting WebContainer');
  });

  it('falls back when the local server does not answer', async () => {
    const s = await chooseSession('03', {
      url: 'https://x/',
      storage: null,
      hasLocalToken: true,
      facts: { ...okFacts, crossOriginIsolated: false },
      loaders: loaders({ local: async () => ({ createSession: async () => Promise.reject(new Error('The course server did not answer.')) }) }),
    });
    expect(s.engine).toBe('in-browser');
    expect(s.reason).toMatch(/The course server did not answer/);
  });

  it('never offers WebContainer when the build switched it off (no StackBlitz licence)', async () => {
    const s = await chooseSession('03', { url: 'https://x/?engine=webcontainer', storage: null, hasLocalToken: false, facts: okFacts, webContainerOff: true, loaders: loaders() });
    expect(s.engine).toBe('in-browser');
    expect(s.reason).toMatch(/switched off for this site/);
    expect(loaded).toEqual(['in-browser']);
  });

  it('says so when no engine can start', async () => {
    const fail = async () => ({ createSession: async () => Promise.reject(new Error('nope')) });
    await expect(chooseSession('03', { url: 'https://x/', storage: null, hasLocalToken: false, facts: okFacts, loaders: { webcontainer: fail, 'in-browser': fail } })).rejects.toThrow(/No engine could start/);
  });
});
