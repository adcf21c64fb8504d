import type { FileMap } from '../fs/types.ts';

export type ChapterState = 'not-started' | 'in-progress' | 'passed';

/** What the course remembers of a chapter's last pass, for the completion record. */
export interface PassInfo {
  /** ISO time of the passing check. */
  at: string;
  /** The engine the checks ran on ("local", "webcontainer", "in-browser"). */
  engine: string;
  /** Hash of the chapter's checks as the page had them (see src/node/course-manifest.ts). */
  checksHash: string | null;
}

/** The subset of Web Storage the progress store needs (localStorage in the page, a Map in tests). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ProgressStore {
  state(chapter: string): ChapterState;
  markStarted(chapter: string): void;
  /** `info` is kept for the completion record; without it only the state changes. */
  markPassed(chapter: string, info?: PassInfo): void;
  /** The last pass recorded with `markPassed(chapter, info)`, or null. */
  passInfo(chapter: string): PassInfo | null;
  /** The chapter the learner touched last, to "continue where you left off". */
  lastChapter(): string | null;
  saveFiles(chapter: string, files: FileMap): void;
  loadFiles(chapter: string): FileMap | null;
}
