import { describe, expect, it } from 'vitest';
import { createAutosave } from '../../src/lib/workspace/autosave.ts';
import { createResetHistory } from '../../src/lib/workspace/history.ts';
import { createProgressStore, memoryStorage, StorageFullError } from '../../src/lib/progress/store.ts';

// A manual clock: tests decide when timers fire, no real waiting.
function fakeTimers() {
  let next = 1;
  const timers = new Map<number, () => void>();
  return {
    setTimer: (fn: () => void) => (timers.set(next, fn), next++),
    clearTimer: (h: unknown) => void timers.delete(h as number),
    fireAll() {
      const fns = [...timers.values()];
      timers.clear();
      for (const fn of fns) fn();
    },
    get count() {
      return timers.size;
    },
  };
}

describe('autosave', () => {
  it('writes once after a burst of edits, with the newest value', () => {
    const t = fakeTimers();
    const saved: string[] = [];
    const a = createAutosave<string>({ save: (v) => saved.push(v), ...t });
    a.schedule('a');
    a.schedule('ab');
    a.schedule('abc');
    expect(saved).toEqual([]);
    expect(t.count).toBe(1);
    t.fireAll();
    expect(saved).toEqual(['abc']);
    expect(a.pending).toBe(false);
  });

  it('flush writes the pending value at once and then nothing more', () => {
    const t = fakeTimers();
    const saved: string[] = [];
    const a = createAutosave<string>({ save: (v) => saved.push(v), ...t });
    expect(a.flush()).toBe(true);
    a.schedule('x');
    expect(a.flush()).toBe(true);
    t.fireAll();
    expect(saved).toEqual(['x']);
  });

  it('keeps the value pending when saving fails, reports it, and retries on flush', () => {
    const t = fakeTimers();
    let full = true;
    const errors: unknown[] = [];
    const saved: string[] = [];
    const store = createProgressStore({
      getItem: () => null,
      removeItem: () => {},
      setItem: (_k, v) => {
        if (full) throw new Error('QuotaExceededError');
        saved.push(v);
      },
    });
    const a = createAutosave<Record<string, string>>({ save: (f) => store.saveFiles('c', f), onError: (e) => errors.push(e), ...t });
    a.schedule({ 'a.js': 'typed' });
    t.fireAll();
    expect(errors[0]).toBeInstanceOf(StorageFullError);
    expect(a.pending).toBe(true);
    full = false;
    expect(a.flush()).toBe(true);
    expect(saved[0]).toContain('typed');
  });

  it('cancel drops the pending value', () => {
    const t = fakeTimers();
    const saved: string[] = [];
    const a = createAutosave<string>({ save: (v) => saved.push(v), ...t });
    a.schedule('x');
    a.cancel();
    t.fireAll();
    expect(a.flush()).toBe(true);
    expect(saved).toEqual([]);
  });
});

describe('reset and undo', () => {
  it('restores the learner files exactly, also from a new store (reload)', () => {
    const storage = memoryStorage();
    const store = createProgressStore(storage);
    const mine = { files: { '.env': 'OPENAI_API_KEY=sk-proj-x\n', 'server.js': 'const k = process.env.OPENAI_API_KEY;\r\n\ttrailing  ' }, folders: ['empty'] };
    const starter = { files: { 'server.js': 'const k = "{{PLANTED_KEY}}"' }, folders: [] };
    const h = createResetHistory(store, 'ch');
    expect(h.canUndo()).toBe(false);
    const after = h.reset(mine, starter);
    expect(after).toEqual(starter);
    expect(store.loadFiles('ch')).toEqual(starter.files);

    const reloaded = createResetHistory(createProgressStore(storage), 'ch');
    expect(reloaded.canUndo()).toBe(true);
    expect(reloaded.undo()).toEqual(mine);
    expect(store.loadFiles('ch')).toEqual(mine.files);
    expect(store.loadFolders('ch')).toEqual(['empty']);
    expect(reloaded.canUndo()).toBe(false);
    expect(reloaded.undo()).toBeNull();
  });
});
