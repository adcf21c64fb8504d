// The plain text editor the workspace shows the moment the learner opens the exercise, while Monaco
// (2.7 MB of script that takes a second or more to parse and start on a modest machine) loads. The
// learner can read and type at once; Monaco then takes over the same text, caret and focus
// (lp-workspace.ts #mount). If Monaco cannot load at all, this stays, so the exercise still works.
// Part of the page bundle: keep it small.
import type { EditorHandle } from './contract.ts';

export interface PlainEditorHost {
  text(path: string): string | undefined;
  editFile(path: string, text: string): void;
}

export interface PlainEditor {
  readonly handle: EditorHandle;
  /** Shows the files' current text again (after a reset, an undo or setFiles); `fallback` when
   * the open file is gone. */
  refresh(fallback: string | null): void;
  hasFocus(): boolean;
  /** Caret or selection as offsets into the text. */
  selection(): { start: number; end: number };
  /** Resolves when no IME composition is in progress: its text is not in the value until it ends. */
  settled(): Promise<void>;
  remove(): void;
}

export function createPlainEditor(editorEl: HTMLElement, tabsEl: HTMLElement | null, host: PlainEditorHost, start: string | null): PlainEditor {
  const area = document.createElement('textarea');
  area.className = 'lp-plain-editor';
  area.dataset.lpPlainEditor = '';
  area.spellcheck = false;
  area.setAttribute('autocapitalize', 'off');
  area.setAttribute('autocomplete', 'off');
  area.setAttribute('autocorrect', 'off');
  let path = start;
  let composing = false;
  let waiting: Array<() => void> = [];
  const tab = document.createElement('li');
  tab.className = 'lp-tab';
  const tabName = document.createElement('span');
  tabName.className = 'lp-tab__open';
  tabName.setAttribute('aria-current', 'true');
  tab.append(tabName);

  const show = (p: string | null) => {
    path = p;
    area.value = p === null ? '' : (host.text(p) ?? '');
    // Like Monaco: a file opens at its top, caret on the first character.
    area.setSelectionRange(0, 0);
    area.scrollTop = 0;
    area.readOnly = p === null;
    area.setAttribute('aria-label', p === null ? 'No file open' : `Editing ${p} as plain text while the full editor loads`);
    tabName.textContent = p === null ? '' : p.slice(p.lastIndexOf('/') + 1);
    tabName.title = p ?? '';
    if (p === null) tab.remove();
    else if (tabsEl && !tab.isConnected) tabsEl.replaceChildren(tab);
  };
  area.addEventListener('input', () => {
    if (path !== null) host.editFile(path, area.value);
  });
  area.addEventListener('compositionstart', () => (composing = true));
  area.addEventListener('compositionend', () => {
    composing = false;
    for (const resolve of waiting) resolve();
    waiting = [];
  });
  show(start);
  editorEl.append(area);

  return {
    handle: {
      text: (p) => host.text(p),
      open: (p) => {
        if (host.text(p) === undefined) return;
        show(p);
        area.focus();
      },
      focus: () => area.focus(),
      get activePath() {
        return path;
      },
    },
    refresh: (fallback) => show(path !== null && host.text(path) !== undefined ? path : fallback),
    hasFocus: () => document.activeElement === area,
    selection: () => ({ start: area.selectionStart, end: area.selectionEnd }),
    settled: () => (composing ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve()),
    remove: () => {
      // Only its own elements: Monaco has already put its tabs in place.
      area.remove();
      tab.remove();
    },
  };
}
