import type { FileMap } from '../fs/types.ts';

export type ChapterState = 'not-started' | 'in-progress' | 'passed';

/** The subset of Web Storage the progress store needs (localStorage in the page, a Map in tests). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ProgressStore {
  state(chapter: string): ChapterState;
  markStarted(chapter: string): void;
  markPassed(chapter: string): void;
  /** The chapter the learner touched last, to "continue where you left off". */
  lastChapter(): string | null;
  saveFiles(chapter: string, files: FileMap): void;
  loadFiles(chapter: string): FileMap | null;
}
