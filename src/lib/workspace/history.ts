// "Reset to starter" that can be undone: the learner's work goes into a persisted snapshot first,
// so Undo restores it exactly, even after a reload. Only one level: a second reset replaces it.
import type { LeakproofProgressStore, WorkspaceSnapshot } from '../progress/store.ts';

export interface ResetHistory {
  /** Keep `current` as the undo snapshot and save `starter` as the chapter's files. */
  reset(current: WorkspaceSnapshot, starter: WorkspaceSnapshot): WorkspaceSnapshot;
  /** Make `next` the files, keeping `current` for undo (any replacement the learner may regret). */
  replace(current: WorkspaceSnapshot, next: WorkspaceSnapshot): WorkspaceSnapshot;
  canUndo(): boolean;
  /** The saved work before the last reset (now saved as the chapter's files again), or null. */
  undo(): WorkspaceSnapshot | null;
  /** Forget the snapshot (e.g. after the learner keeps editing the reset files for good). */
  forget(): void;
}

const copy = (s: WorkspaceSnapshot): WorkspaceSnapshot => ({ files: { ...s.files }, folders: [...s.folders] });

export function createResetHistory(store: LeakproofProgressStore, chapter: string): ResetHistory {
  const save = (s: WorkspaceSnapshot) => {
    store.saveFiles(chapter, s.files);
    store.saveFolders(chapter, s.folders);
  };
  const replace = (current: WorkspaceSnapshot, next: WorkspaceSnapshot) => {
    // The snapshot is written before the files: if storage fails between, the old work is safe.
    store.saveUndo(chapter, copy(current));
    save(next);
    return copy(next);
  };
  return {
    reset: replace,
    replace,
    canUndo: () => store.loadUndo(chapter) !== null,
    undo() {
      const snap = store.loadUndo(chapter);
      if (!snap) return null;
      save(snap);
      store.clearUndo(chapter);
      return snap;
    },
    forget: () => store.clearUndo(chapter),
  };
}
