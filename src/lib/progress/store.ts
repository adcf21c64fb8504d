// The learner's progress and saved code, over an injected storage (localStorage in the page, a Map in
// tests). Every key carries a versioned prefix so a future format can migrate instead of misreading.
import type { FileMap } from '../fs/types.ts';
import type { ChapterState, PassInfo, ProgressStore, StorageLike } from './types.ts';

export const STORAGE_PREFIX = 'leakproof:v1:';

/** Saving failed because the browser's storage is full or disabled; nothing was overwritten. */
export class StorageFullError extends Error {
  constructor(cause: unknown) {
    super(
      'Your browser refused to save your work (its storage for this site is full or disabled). ' +
        'Your code is still in the editor: copy anything important, then free space by resetting ' +
        'chapters you no longer need, or allow site storage in your browser settings.',
      { cause },
    );
    this.name = 'StorageFullError';
  }
}

/** What the workspace keeps per chapter besides the files themselves. */
export interface WorkspaceSnapshot {
  files: FileMap;
  /** Folders the learner created that hold no file yet (a FileMap cannot express them). */
  folders: string[];
}

export interface EditorView {
  tabs: string[];
  active: string | null;
}

export interface LeakproofProgressStore extends ProgressStore {
  /** Empty folders created by the learner, kept next to the files. */
  saveFolders(chapter: string, folders: string[]): void;
  loadFolders(chapter: string): string[];
  /** The learner's work just before "Reset to starter", so Undo survives a reload. */
  saveUndo(chapter: string, snapshot: WorkspaceSnapshot): void;
  loadUndo(chapter: string): WorkspaceSnapshot | null;
  clearUndo(chapter: string): void;
  /** The fake key planted for the current attempt of a chapter. */
  savePlantedKey(chapter: string, key: string): void;
  loadPlantedKey(chapter: string): string | null;
  /** Which files were open in tabs, and the active one, so a return visit looks as it was left. */
  saveView(chapter: string, view: EditorView): void;
  loadView(chapter: string): EditorView | null;
  /** Forget a chapter's saved files, folders and undo snapshot (its state stays). */
  clearFiles(chapter: string): void;
}

const STATES: readonly ChapterState[] = ['not-started', 'in-progress', 'passed'];

export function createProgressStore(storage: StorageLike, prefix = STORAGE_PREFIX): LeakproofProgressStore {
  const key = (kind: string, chapter?: string) => `${prefix}${kind}${chapter === undefined ? '' : `:${chapter}`}`;

  const write = (k: string, value: string) => {
    try {
      storage.setItem(k, value);
    } catch (err) {
      throw new StorageFullError(err);
    }
  };
  // Unreadable or hand-edited entries count as absent: a broken entry must never break the page.
  const readJson = (k: string): unknown => {
    let raw: string | null;
    try {
      raw = storage.getItem(k);
    } catch {
      return null;
    }
    if (raw === null) return null;
    try {
      return JSON.parse(raw);
    } catch {
      return null;
    }
  };
  const isFileMap = (v: unknown): v is FileMap =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
  const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

  const touch = (chapter: string) => write(key('last'), chapter);

  const state = (chapter: string): ChapterState => {
    const v = readJson(key('state', chapter));
    return STATES.includes(v as ChapterState) ? (v as ChapterState) : 'not-started';
  };

  return {
    state,
    markStarted(chapter) {
      // Starting again never takes away a pass.
      if (state(chapter) === 'not-started') write(key('state', chapter), JSON.stringify('in-progress'));
      touch(chapter);
    },
    markPassed(chapter, info) {
      write(key('state', chapter), JSON.stringify('passed'));
      if (info) write(key('passed', chapter), JSON.stringify(info));
      touch(chapter);
    },
    passInfo(chapter) {
      if (state(chapter) !== 'passed') return null;
      const v = readJson(key('passed', chapter)) as Partial<PassInfo> | null;
      if (!v || typeof v.at !== 'string' || typeof v.engine !== 'string') return null;
      return { at: v.at, engine: v.engine, checksHash: typeof v.checksHash === 'string' ? v.checksHash : null };
    },
    lastChapter() {
      try {
        return storage.getItem(key('last'));
      } catch {
        return null;
      }
    },
    saveFiles(chapter, files) {
      write(key('files', chapter), JSON.stringify(files));
      if (state(chapter) === 'not-started') write(key('state', chapter), JSON.stringify('in-progress'));
      touch(chapter);
    },
    loadFiles(chapter) {
      const v = readJson(key('files', chapter));
      return isFileMap(v) ? { ...v } : null;
    },
    saveFolders(chapter, folders) {
      if (folders.length === 0) storage.removeItem(key('folders', chapter));
      else write(key('folders', chapter), JSON.stringify(folders));
    },
    loadFolders(chapter) {
      const v = readJson(key('folders', chapter));
      return isStringList(v) ? v : [];
    },
    saveUndo(chapter, snapshot) {
      write(key('undo', chapter), JSON.stringify(snapshot));
    },
    loadUndo(chapter) {
      const v = readJson(key('undo', chapter)) as Partial<WorkspaceSnapshot> | null;
      if (!v || !isFileMap(v.files)) return null;
      return { files: { ...v.files }, folders: isStringList(v.folders) ? v.folders : [] };
    },
    clearUndo(chapter) {
      storage.removeItem(key('undo', chapter));
    },
    savePlantedKey(chapter, plantedKey) {
      write(key('key', chapter), plantedKey);
    },
    loadPlantedKey(chapter) {
      try {
        return storage.getItem(key('key', chapter));
      } catch {
        return null;
      }
    },
    saveView(chapter, view) {
      write(key('view', chapter), JSON.stringify(view));
    },
    loadView(chapter) {
      const v = readJson(key('view', chapter)) as Partial<EditorView> | null;
      if (!v || !isStringList(v.tabs)) return null;
      return { tabs: v.tabs, active: typeof v.active === 'string' ? v.active : null };
    },
    clearFiles(chapter) {
      for (const kind of ['files', 'folders', 'undo']) storage.removeItem(key(kind, chapter));
    },
  };
}

/** A StorageLike kept in memory: for tests, and as the fallback when localStorage is unavailable. */
export function memoryStorage(): StorageLike & { readonly size: number } {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    get size() {
      return map.size;
    },
  };
}
