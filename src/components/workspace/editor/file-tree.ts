// The file tree: an ARIA tree (flat rows with aria-level) with a roving tabindex. Arrow keys move,
// Right/Left expand/collapse, Enter opens, F2 renames, Delete deletes (after a confirm).
import { treeRows, type TreeRow } from '../../../lib/workspace/tree.ts';
import { allFolders, createFile, createFolder, deleteEntry, renameEntry, validatePath } from '../../../lib/workspace/paths.ts';
import type { WorkspaceHost } from '../contract.ts';

export interface FileTreeView {
  render(): void;
  select(path: string): void;
  focus(): void;
}

export function createFileTree(host: WorkspaceHost, container: HTMLElement, onOpen: (path: string, focusEditor: boolean) => void, onRemoved: (paths: string[], moved?: Map<string, string>) => void): FileTreeView {
  const list = container.querySelector<HTMLElement>('[data-lp-tree]')!;
  const expanded = new Set<string>();
  let selected: string | null = null;
  let rows: TreeRow[] = [];
  let knownFolders = new Set<string>();

  const render = () => {
    const snap = host.snapshot();
    // Folders start expanded the first time they appear: the learner sees what is inside.
    const folders = allFolders(snap);
    for (const f of folders) if (!knownFolders.has(f)) expanded.add(f);
    knownFolders = folders;
    rows = treeRows(snap, expanded);
    if (!rows.some((r) => r.path === selected)) selected = rows[0]?.path ?? null;
    // Re-rendering replaces the rows: keep keyboard focus on the selected one.
    const hadFocus = list.contains(document.activeElement);
    list.replaceChildren(
      ...rows.map((row) => {
        const li = document.createElement('li');
        li.setAttribute('role', 'treeitem');
        li.dataset.path = row.path;
        li.setAttribute('aria-level', String(row.depth));
        const siblings = rows.filter((r) => r.parent === row.parent && r.depth === row.depth);
        li.setAttribute('aria-setsize', String(siblings.length));
        li.setAttribute('aria-posinset', String(siblings.indexOf(row) + 1));
        li.setAttribute('aria-selected', String(row.path === selected));
        if (row.kind === 'folder') li.setAttribute('aria-expanded', String(!!row.expanded));
        li.tabIndex = row.path === selected ? 0 : -1;
        li.className = `lp-tree__row lp-tree__row--${row.kind}`;
        li.style.setProperty('--depth', String(row.depth - 1));
        const icon = document.createElement('span');
        icon.className = 'lp-tree__icon';
        icon.setAttribute('aria-hidden', 'true');
        icon.textContent = row.kind === 'folder' ? (row.expanded ? '▾' : '▸') : '·';
        const name = document.createElement('span');
        name.textContent = row.name;
        li.append(icon, name);
        return li;
      }),
    );
    if (hadFocus) list.querySelector<HTMLElement>('[tabindex="0"]')?.focus();
  };

  const focusRow = (path: string | null) => {
    if (path === null) return;
    selected = path;
    for (const li of list.querySelectorAll<HTMLElement>('[role="treeitem"]')) {
      const on = li.dataset.path === path;
      li.tabIndex = on ? 0 : -1;
      li.setAttribute('aria-selected', String(on));
      if (on) li.focus();
    }
  };
  const current = () => rows.find((r) => r.path === selected);

  const activate = (row: TreeRow, focusEditor: boolean) => {
    if (row.kind === 'folder') {
      if (expanded.has(row.path)) expanded.delete(row.path);
      else expanded.add(row.path);
      render();
      focusRow(row.path);
    } else onOpen(row.path, focusEditor);
  };

  const newEntry = async (kind: 'file' | 'folder') => {
    // Only a selected folder suggests a location: with a file selected, a beginner typing ".env"
    // means the project root, not the file's folder.
    const row = current();
    const dir = row?.kind === 'folder' ? row.path : '';
    const value = await host.prompt({
      title: kind === 'file' ? 'New file' : 'New folder',
      label: kind === 'file' ? 'File name (folders with "/", e.g. src/server.js)' : 'Folder name',
      value: dir ? `${dir}/` : '',
      confirmLabel: 'Create',
      validate: (v) => {
        const r = validatePath(host.snapshot(), v);
        return r.ok ? null : r.error;
      },
    });
    if (value === null) return;
    const r = kind === 'file' ? createFile(host.snapshot(), value) : createFolder(host.snapshot(), value);
    host.applyTree(r.ws, 'create', r.path);
    for (let p = r.path; p.includes('/'); ) {
      p = p.slice(0, p.lastIndexOf('/'));
      expanded.add(p);
    }
    render();
    host.announce(`Created ${kind} ${r.path}`);
    if (kind === 'file') onOpen(r.path, true);
    else focusRow(r.path);
  };

  const rename = async () => {
    const row = current();
    if (!row) return;
    const value = await host.prompt({
      title: `Rename ${row.kind}`,
      label: 'New name (or path, to move it)',
      value: row.path,
      confirmLabel: 'Rename',
      validate: (v) => {
        const r = validatePath(host.snapshot(), v, row.path);
        return r.ok ? null : r.error;
      },
    });
    if (value === null) return;
    const r = renameEntry(host.snapshot(), row.path, value);
    if (r.path === row.path) return focusRow(row.path);
    if (expanded.has(row.path)) expanded.add(r.path);
    host.applyTree(r.ws, 'rename', r.path);
    onRemoved([], r.moved);
    render();
    focusRow(r.path);
    host.announce(`Renamed ${row.path} to ${r.path}`);
  };

  const remove = async () => {
    const row = current();
    if (!row) return;
    const what = row.kind === 'folder' ? `the folder "${row.path}" and everything in it` : `"${row.path}"`;
    const ok = await host.confirm({ title: `Delete ${row.kind}?`, body: `This deletes ${what}. Your other files stay as they are.`, confirmLabel: 'Delete', danger: true });
    if (!ok) return focusRow(row.path);
    const index = rows.indexOf(row);
    const r = deleteEntry(host.snapshot(), row.path);
    host.applyTree(r.ws, 'delete', row.path);
    onRemoved(r.removed);
    render();
    focusRow(rows[Math.min(index, rows.length - 1)]?.path ?? null);
    host.announce(`Deleted ${row.path}`);
  };

  list.addEventListener('click', (e) => {
    const li = (e.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    const row = rows.find((r) => r.path === li?.dataset.path);
    if (!row) return;
    focusRow(row.path);
    activate(row, false);
  });
  // Focus can arrive by Tab or a click on any row: that row becomes the one the keys act on.
  list.addEventListener('focusin', (e) => {
    const path = (e.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]')?.dataset.path;
    if (path && path !== selected) focusRow(path);
  });
  list.addEventListener('keydown', (e) => {
    const row = current();
    const i = row ? rows.indexOf(row) : -1;
    const go = (j: number) => rows[j] && focusRow(rows[j]!.path);
    switch (e.key) {
      case 'ArrowDown': go(Math.min(i + 1, rows.length - 1)); break;
      case 'ArrowUp': go(Math.max(i - 1, 0)); break;
      case 'Home': go(0); break;
      case 'End': go(rows.length - 1); break;
      case 'ArrowRight':
        if (row?.kind === 'folder' && !row.expanded) activate(row, false);
        else if (row?.kind === 'folder') go(i + 1);
        break;
      case 'ArrowLeft':
        if (row?.kind === 'folder' && row.expanded) activate(row, false);
        else if (row?.parent) focusRow(row.parent);
        break;
      case 'Enter':
      case ' ':
        if (row) activate(row, e.key === 'Enter');
        break;
      case 'F2': void rename(); break;
      case 'Delete': void remove(); break;
      default: return;
    }
    e.preventDefault();
  });
  container.querySelector('[data-lp-new-file]')?.addEventListener('click', () => void newEntry('file'));
  container.querySelector('[data-lp-new-folder]')?.addEventListener('click', () => void newEntry('folder'));
  container.querySelector('[data-lp-rename]')?.addEventListener('click', () => void rename());
  container.querySelector('[data-lp-delete]')?.addEventListener('click', () => void remove());

  return {
    render,
    select(path) {
      selected = path;
      for (let p = path; p.includes('/'); ) {
        p = p.slice(0, p.lastIndexOf('/'));
        expanded.add(p);
      }
      render();
    },
    focus: () => focusRow(selected ?? rows[0]?.path ?? null),
  };
}

