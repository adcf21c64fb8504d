// File and folder names the learner types in the file tree: validated with messages that say what is
// wrong and how to fix it, then applied to the workspace as pure functions (no DOM, no storage).
import type { FileMap } from '../fs/types.ts';

export interface WorkspaceFiles {
  files: FileMap;
  /** Folders that hold no file yet, as POSIX paths ("src/utils"). */
  folders: string[];
}

export type EntryKind = 'file' | 'folder';

export type PathCheck = { ok: true; path: string } | { ok: false; error: string };

const MAX_SEGMENT = 255;
// Control characters, and characters Windows or git refuse in names.
const FORBIDDEN = /[\u0000-\u001f\u007f<>:"|?*]/;

/** Every folder that exists: explicit empty ones and the parents of every file. */
export function allFolders(ws: WorkspaceFiles): Set<string> {
  const out = new Set<string>();
  const addParents = (p: string) => {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join('/'));
  };
  for (const f of Object.keys(ws.files)) addParents(f);
  for (const d of ws.folders) {
    out.add(d);
    addParents(d);
  }
  return out;
}

export function exists(ws: WorkspaceFiles, path: string): EntryKind | null {
  if (Object.hasOwn(ws.files, path)) return 'file';
  return allFolders(ws).has(path) ? 'folder' : null;
}

/**
 * Checks a path typed by the learner ("src/server.js", ".env") for a new or renamed entry.
 * `ignore` is the entry being renamed, so renaming "a" to "a" is not a duplicate of itself.
 */
export function validatePath(ws: WorkspaceFiles, input: string, ignore?: string): PathCheck {
  const raw = input.trim();
  if (raw === '') return { ok: false, error: 'The name is empty. Type a name such as ".gitignore" or "src/server.js".' };
  if (raw.startsWith('/') || raw.startsWith('~') || /^[a-zA-Z]:[\\/]/.test(raw) || raw.startsWith('\\')) {
    return { ok: false, error: `"${raw}" is an absolute path. Use a path inside the project, like "config/app.json" (no leading "/").` };
  }
  if (raw.includes('\\')) return { ok: false, error: `"${raw}" contains "\\". Separate folders with "/", like "src/server.js".` };
  const path = raw.replace(/\/+$/, '');
  const parts = path.split('/');
  for (const part of parts) {
    if (part === '') return { ok: false, error: `"${raw}" has an empty folder name ("//"). Remove the extra "/".` };
    if (part === '..') return { ok: false, error: `"${raw}" uses "..", which would leave the project. Choose a path inside the project.` };
    if (part === '.') return { ok: false, error: `"${raw}" uses "." as a name. Leave it out: "./src/a.js" is just "src/a.js".` };
    if (part === '.git') return { ok: false, error: 'The ".git" folder belongs to git itself. Choose another name.' };
    if (part.length > MAX_SEGMENT) return { ok: false, error: `A name in "${raw.slice(0, 40)}…" is longer than ${MAX_SEGMENT} characters. Shorten it.` };
    const bad = FORBIDDEN.exec(part);
    if (bad) {
      const shown = bad[0].charCodeAt(0) < 32 || bad[0] === '\u007f' ? 'an invisible control character' : `"${bad[0]}"`;
      return { ok: false, error: `"${raw}" contains ${shown}, which file names cannot hold on every system. Remove it.` };
    }
  }
  const isSelf = (p: string) => ignore !== undefined && (p === ignore || p.startsWith(`${ignore}/`));
  const existing = exists(ws, path);
  if (existing && !isSelf(path)) {
    return { ok: false, error: `A ${existing} named "${path}" already exists. Choose another name, or open the existing one.` };
  }
  // A file cannot also be a folder: "server.js/x" when server.js is a file.
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('/');
    if (Object.hasOwn(ws.files, parent) && !isSelf(parent)) {
      return { ok: false, error: `"${parent}" is a file, so it cannot contain "${parts.slice(i).join('/')}". Choose another folder.` };
    }
  }
  if (ignore !== undefined && (path.startsWith(`${ignore}/`))) {
    return { ok: false, error: `A folder cannot be moved into itself ("${ignore}" → "${path}"). Choose a path outside it.` };
  }
  return { ok: true, path };
}

const fail = (error: string): never => {
  throw new Error(error);
};
const checked = (ws: WorkspaceFiles, input: string, ignore?: string) => {
  const r = validatePath(ws, input, ignore);
  return r.ok ? r.path : fail(r.error);
};
// Drop explicit folders that now contain something (their parents imply them).
const tidy = (ws: WorkspaceFiles): WorkspaceFiles => {
  const implied = allFolders({ files: ws.files, folders: [] });
  const explicit = [...new Set(ws.folders)].filter(
    (d) => !implied.has(d) && !ws.folders.some((o) => o.startsWith(`${d}/`)),
  );
  return { files: ws.files, folders: explicit.sort() };
};

export function createFile(ws: WorkspaceFiles, input: string, content = ''): { ws: WorkspaceFiles; path: string } {
  const path = checked(ws, input);
  return { ws: tidy({ files: { ...ws.files, [path]: content }, folders: ws.folders }), path };
}

export function createFolder(ws: WorkspaceFiles, input: string): { ws: WorkspaceFiles; path: string } {
  const path = checked(ws, input);
  return { ws: tidy({ files: { ...ws.files }, folders: [...ws.folders, path] }), path };
}

/** Renames (or moves) a file, or a folder with everything in it. */
export function renameEntry(ws: WorkspaceFiles, from: string, input: string): { ws: WorkspaceFiles; path: string; moved: Map<string, string> } {
  const kind = exists(ws, from) ?? fail(`"${from}" does not exist any more. Refresh the file list.`);
  const to = checked(ws, input, from);
  const moved = new Map<string, string>();
  const files: FileMap = {};
  const move = (p: string) => (p === from ? to : kind === 'folder' && p.startsWith(`${from}/`) ? to + p.slice(from.length) : p);
  for (const [p, text] of Object.entries(ws.files)) {
    const np = move(p);
    if (np !== p) moved.set(p, np);
    files[np] = text;
  }
  const folders = ws.folders.map(move);
  if (kind === 'folder' && !folders.includes(to) && !Object.keys(files).some((p) => p.startsWith(`${to}/`))) folders.push(to);
  return { ws: tidy({ files, folders }), path: to, moved };
}

/** Deletes a file, or a folder with everything in it; returns the files that went away. */
export function deleteEntry(ws: WorkspaceFiles, path: string): { ws: WorkspaceFiles; removed: string[] } {
  const kind = exists(ws, path) ?? fail(`"${path}" does not exist any more. Refresh the file list.`);
  const inside = (p: string) => p === path || (kind === 'folder' && p.startsWith(`${path}/`));
  const files: FileMap = {};
  const removed: string[] = [];
  for (const [p, text] of Object.entries(ws.files)) {
    if (inside(p)) removed.push(p);
    else files[p] = text;
  }
  const folders = ws.folders.filter((d) => !inside(d));
  // Keep the parent folder visible when its last file goes.
  const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  if (parent && !allFolders({ files, folders }).has(parent)) folders.push(parent);
  return { ws: tidy({ files, folders }), removed };
}
