// What the <lp-workspace> element (loaded with the page) offers the editor UI (loaded on open).
import type { EditorView, WorkspaceSnapshot } from '../../lib/progress/store.ts';
import type { WorkspaceFiles } from '../../lib/workspace/paths.ts';

export type ChangeReason = 'edit' | 'create' | 'rename' | 'delete' | 'reset' | 'undo' | 'set' | 'load';

export interface PromptOptions {
  title: string;
  label: string;
  value?: string;
  confirmLabel: string;
  /** Returns an error message, or null when the value is fine. */
  validate(value: string): string | null;
}

export interface ConfirmOptions {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
}

export interface WorkspaceHost {
  readonly root: HTMLElement;
  readonly chapter: string;
  snapshot(): WorkspaceSnapshot;
  /** The learner typed in a file. */
  editFile(path: string, text: string): void;
  /** The learner changed the tree (create, rename, delete). */
  applyTree(ws: WorkspaceFiles, reason: ChangeReason, path: string): void;
  confirm(options: ConfirmOptions): Promise<boolean>;
  prompt(options: PromptOptions): Promise<string | null>;
  /** Calls back when files change from outside the editor (reset, undo, setFiles). */
  onExternalChange(cb: (reason: ChangeReason) => void): void;
  announce(message: string): void;
  /** Open tabs and active file, kept per chapter (best effort: never an error for the learner). */
  loadView(): EditorView | null;
  saveView(view: EditorView): void;
}

export interface EditorManifest {
  script: string;
  /** Chunks the script imports, fetched in parallel with it. */
  preload: string[];
  css: string | null;
  workers: { editor: string };
}

/** What the editor bundle's `mount` returns. */
export interface EditorHandle {
  /** Text of a file as the editor holds it (for tests and the engine). */
  text(path: string): string | undefined;
  open(path: string): void;
  focus(): void;
  readonly activePath: string | null;
  /** Selects from one offset to another in the active file and scrolls it into view. */
  select?(start: number, end: number): void;
  /** Monaco's diff editor in `container` (read-only: original = the learner's file, modified = the
   * solution's); loads its chunk on first use. Used by the check panel's "Compare with a solution". */
  diff?(container: HTMLElement, original: string, modified: string, path: string): { dispose(): void };
}

/** The editor bundle's entry module. `start`: the file to show first (the one the plain text
 * editor had open), else the learner's saved view decides. */
export interface EditorModule {
  mount(host: WorkspaceHost, manifest: EditorManifest, start?: string | null): EditorHandle;
}
