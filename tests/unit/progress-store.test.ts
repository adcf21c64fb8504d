import { describe, expect, it } from 'vitest';
import { createProgressStore, memoryStorage, StorageFullError, STORAGE_PREFIX } from '../../src/lib/progress/store.ts';
import type { StorageLike } from '../../src/lib/progress/types.ts';

describe('progress store', () => {
  it('starts every chapter as not started, with no last chapter', () => {
    const store = createProgressStore(memoryStorage());
    expect(store.state('01-habits')).toBe('not-started');
    expect(store.lastChapter()).toBeNull();
    expect(store.loadFiles('01-habits')).toBeNull();
  });

  it('moves not-started → in-progress → passed and never back down', () => {
    const store = createProgressStore(memoryStorage());
    store.markStarted('a');
    expect(store.state('a')).toBe('in-progress');
    store.markPassed('a');
    expect(store.state('a')).toBe('passed');
    store.markStarted('a');
    store.saveFiles('a', { 'x.js': '1' });
    expect(store.state('a')).toBe('passed');
  });

  it('keeps when, where and against which checks a chapter was last passed (for the completion record)', () => {
    const storage = memoryStorage();
    const store = createProgressStore(storage);
    expect(store.passInfo('a')).toBeNull();
    store.markPassed('a', { at: '2026-12-01T10:00:00.000Z', engine: 'local', checksHash: 'sha256-x' });
    expect(createProgressStore(storage).passInfo('a')).toEqual({ at: '2026-12-01T10:00:00.000Z', engine: 'local', checksHash: 'sha256-x' });
    // A pass without details (older pages) still counts as passed, with no details.
    store.markPassed('b');
    expect(store.passInfo('b')).toBeNull();
    // A hand-edited entry counts as absent.
    storage.setItem(`${STORAGE_PREFIX}passed:a`, '{"at":1}');
    expect(store.passInfo('a')).toBeNull();
  });

  it('keeps chapters apart and remembers the last one touched', () => {
    const store = createProgressStore(memoryStorage());
    store.saveFiles('a', { '.env': 'A=1' });
    store.saveFiles('b', { '.env': 'B=2' });
    expect(store.loadFiles('a')).toEqual({ '.env': 'A=1' });
    expect(store.loadFiles('b')).toEqual({ '.env': 'B=2' });
    expect(store.lastChapter()).toBe('b');
    store.markStarted('a');
    expect(store.lastChapter()).toBe('a');
  });

  it('saving files marks the chapter in progress', () => {
    const store = createProgressStore(memoryStorage());
    store.saveFiles('c', { 'a.ts': '' });
    expect(store.state('c')).toBe('in-progress');
  });

  it('survives a new store over the same storage (a reload)', () => {
    const storage = memoryStorage();
    createProgressStore(storage).saveFiles('a', { 'server.js': 'console.log(1)\n' });
    createProgressStore(storage).saveFolders('a', ['empty']);
    const again = createProgressStore(storage);
    expect(again.loadFiles('a')).toEqual({ 'server.js': 'console.log(1)\n' });
    expect(again.loadFolders('a')).toEqual(['empty']);
  });

  it('treats corrupt or foreign entries as absent instead of throwing', () => {
    const storage = memoryStorage();
    storage.setItem(`${STORAGE_PREFIX}files:a`, '{not json');
    storage.setItem(`${STORAGE_PREFIX}files:b`, JSON.stringify({ 'a.js': 42 }));
    storage.setItem(`${STORAGE_PREFIX}state:a`, JSON.stringify('finished'));
    storage.setItem(`${STORAGE_PREFIX}undo:a`, JSON.stringify({ files: 'nope' }));
    const store = createProgressStore(storage);
    expect(store.loadFiles('a')).toBeNull();
    expect(store.loadFiles('b')).toBeNull();
    expect(store.state('a')).toBe('not-started');
    expect(store.loadUndo('a')).toBeNull();
  });

  it('turns a quota error into a StorageFullError that says what to do', () => {
    const full: StorageLike = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('exceeded', 'QuotaExceededError');
      },
      removeItem: () => {},
    };
    const store = createProgressStore(full);
    expect(() => store.saveFiles('a', { x: 'y' })).toThrow(StorageFullError);
    expect(() => store.saveFiles('a', { x: 'y' })).toThrow(/storage for this site is full/);
  });

  it('keeps the undo snapshot and planted key, and clearFiles forgets files but not state', () => {
    const store = createProgressStore(memoryStorage());
    store.saveFiles('a', { 'a.js': 'mine' });
    store.saveUndo('a', { files: { 'a.js': 'old' }, folders: ['lib'] });
    store.savePlantedKey('a', 'sk-proj-abc');
    expect(store.loadUndo('a')).toEqual({ files: { 'a.js': 'old' }, folders: ['lib'] });
    expect(store.loadPlantedKey('a')).toBe('sk-proj-abc');
    store.clearFiles('a');
    expect(store.loadFiles('a')).toBeNull();
    expect(store.loadUndo('a')).toBeNull();
    expect(store.state('a')).toBe('in-progress');
  });
});

describe('progress store: editor view', () => {
  it('keeps open tabs and the active file, and ignores a malformed entry', () => {
    const storage = memoryStorage();
    const store = createProgressStore(storage);
    expect(store.loadView('a')).toBeNull();
    store.saveView('a', { tabs: ['.env', 'server.js'], active: 'server.js' });
    expect(createProgressStore(storage).loadView('a')).toEqual({ tabs: ['.env', 'server.js'], active: 'server.js' });
    storage.setItem(`${STORAGE_PREFIX}view:b`, JSON.stringify({ tabs: 'x' }));
    expect(store.loadView('b')).toBeNull();
  });
});
