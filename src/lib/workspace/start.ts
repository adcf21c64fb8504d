// Which file the workspace shows first. Shared by the plain text editor that appears at once and by
// Monaco when it takes over, so both show the same file.
import type { EditorView } from '../progress/store.ts';
import { allFolders, type WorkspaceFiles } from './paths.ts';
import { treeRows } from './tree.ts';

/** A project's own starting points, in order: its README, else its entry file. */
export const STARTING_POINTS = ['README.md', 'index.js', 'src/main.js', 'src/index.js', 'server.js', 'app.js'];

/** The project's starting point; else the first file in tree order; null for an empty project. */
export function firstFile(ws: WorkspaceFiles): string | null {
  const start = STARTING_POINTS.find((p) => Object.hasOwn(ws.files, p));
  return start ?? treeRows(ws, allFolders(ws)).find((r) => r.kind === 'file')?.path ?? null;
}

/** The file to show first: the one the learner had active, else the first tab still there, else firstFile. */
export function startingFile(ws: WorkspaceFiles, view: EditorView | null): string | null {
  if (view?.active && Object.hasOwn(ws.files, view.active)) return view.active;
  return (view?.tabs ?? []).find((p) => Object.hasOwn(ws.files, p)) ?? firstFile(ws);
}
