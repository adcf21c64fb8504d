// The file tree shown beside the editor: folders first, then files, each sorted by name the way
// editors do (dotfiles included — .env and .gitignore are what this course is about).
import { allFolders, type WorkspaceFiles } from './paths.ts';

export interface TreeRow {
  path: string;
  name: string;
  kind: 'file' | 'folder';
  /** 1 for top-level entries (aria-level). */
  depth: number;
  /** For folders: whether its children are shown. */
  expanded?: boolean;
  parent: string | null;
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);
const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const parentOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : null);

/** The visible rows, depth-first; children of folders not in `expanded` are hidden. */
export function treeRows(ws: WorkspaceFiles, expanded: ReadonlySet<string>): TreeRow[] {
  const folders = [...allFolders(ws)];
  const files = Object.keys(ws.files);
  const children = (dir: string | null) => ({
    dirs: folders.filter((d) => parentOf(d) === dir).sort((a, b) => byName(baseName(a), baseName(b))),
    files: files.filter((f) => parentOf(f) === dir).sort((a, b) => byName(baseName(a), baseName(b))),
  });
  const rows: TreeRow[] = [];
  const walk = (dir: string | null, depth: number) => {
    const c = children(dir);
    for (const d of c.dirs) {
      const open = expanded.has(d);
      rows.push({ path: d, name: baseName(d), kind: 'folder', depth, expanded: open, parent: dir });
      if (open) walk(d, depth + 1);
    }
    for (const f of c.files) rows.push({ path: f, name: baseName(f), kind: 'file', depth, parent: dir });
  };
  walk(null, 1);
  return rows;
}
