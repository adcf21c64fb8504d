/*
 * <lp-workspace> — the exercise workspace of a chapter page. Loaded with the page (small); the editor
 * (Monaco, file tree, tabs) loads only when the learner opens the exercise or it scrolls into view.
 *
 * DOM contract (rendered by Workspace.astro):
 *   <lp-workspace data-chapter="01-habits">
 *     <script type="application/json" data-lp-starter>{ "path": "text with {{PLANTED_KEY}}" }</script>
 *     … <div data-slot="check-panel"> and <div data-slot="output-panel"> (for the engine's panels) …
 *
 * Element API (for the check/engine panels):
 *   el.chapter: string                         chapter id (folder name)
 *   el.ready: boolean                          files are loaded (then `lp-workspace-ready` has fired)
 *   el.plantedKey: string                      the fake key planted in this attempt's files
 *   el.getFiles(): FileMap                     a copy of the learner's files, as they are now
 *   el.getFolders(): string[]                  empty folders the learner created
 *   el.starterFiles(): FileMap                 the starter with the key planted
 *   el.setFiles(files, { undoable?, folders? })  replace all files (e.g. "show solution");
 *                                              undoable: keeps the current files for the Undo button
 *   el.flush(): boolean                        write pending edits to storage now
 *   el.open(): Promise<void>                   load and show the editor (same as the button)
 *   el.editor: EditorHandle | null             after open: text(path), open(path), focus(), activePath
 *                                              (first the plain text editor, then Monaco's)
 *   el.dataset.editor: 'plain' | 'monaco'      which editor is showing (unset while closed)
 * Events (bubble, detail has `chapter`):
 *   lp-workspace-ready  { chapter, files }               once, after the files are loaded
 *   lp-files-change     { chapter, files, reason, path? }  reason: edit | create | rename | delete |
 *                                                        reset | undo | set
 *   lp-plain-editor     { chapter }                      the workspace is open; typing goes to a plain text
 *                                                        editor until Monaco takes over
 *   lp-editor-ready     { chapter }                      Monaco is shown and accepts typing
 *   lp-save-error       { chapter, message }             storage refused to save (quota, disabled)
 */
import manifest from 'virtual:leakproof-editor';
import type { FileMap } from '../../lib/fs/types.ts';
import { createProgressStore, memoryStorage, StorageFullError, type LeakproofProgressStore, type WorkspaceSnapshot } from '../../lib/progress/store.ts';
import { createAutosave, type Autosave } from '../../lib/workspace/autosave.ts';
import { createResetHistory, type ResetHistory } from '../../lib/workspace/history.ts';
// The engine's key generator and planting: one source of truth for what a planted key looks like.
import { generatePlantedKey, isPlantedKeyShape } from '../../lib/exercise/planted-key.ts';
import { plantKey } from '../../lib/exercise/plant.ts';
import type { WorkspaceFiles } from '../../lib/workspace/paths.ts';
import type { ChangeReason, ConfirmOptions, EditorHandle, EditorManifest, EditorModule, PromptOptions, WorkspaceHost } from './contract.ts';
import { confirmDialog, promptDialog } from './dialogs.ts';
import { createPlainEditor, type PlainEditor } from './plain-editor.ts';
import { startingFile } from '../../lib/workspace/start.ts';

function openStorage(): { store: LeakproofProgressStore; persistent: boolean } {
  try {
    const probe = '__leakproof_probe__';
    localStorage.setItem(probe, '1');
    localStorage.removeItem(probe);
    return { store: createProgressStore(localStorage), persistent: true };
  } catch {
    return { store: createProgressStore(memoryStorage()), persistent: false };
  }
}

export class LpWorkspace extends HTMLElement {
  ready = false;
  plantedKey = '';
  editor: EditorHandle | null = null;
  #store!: LeakproofProgressStore;
  #history!: ResetHistory;
  #autosave!: Autosave<WorkspaceSnapshot>;
  #ws: WorkspaceFiles = { files: {}, folders: [] };
  #starter: FileMap = {};
  #listeners: Array<(reason: ChangeReason) => void> = [];
  #opening: Promise<void> | null = null;
  #observer: IntersectionObserver | null = null;
  #focusWhenReady = false;
  #plain: PlainEditor | null = null;

  get chapter(): string {
    return this.dataset.chapter ?? '';
  }

  connectedCallback() {
    if (this.ready) return;
    const raw = this.querySelector('script[data-lp-starter]')?.textContent ?? '{}';
    const { store, persistent } = openStorage();
    this.#store = store;
    this.#history = createResetHistory(store, this.chapter);
    // One key per chapter and browser, kept so the learner's saved files and the checker agree.
    const storedKey = store.loadPlantedKey(this.chapter);
    this.plantedKey = storedKey && isPlantedKeyShape(storedKey) ? storedKey : '';
    if (!this.plantedKey) {
      this.plantedKey = generatePlantedKey();
      this.#tryWrite(() => store.savePlantedKey(this.chapter, this.plantedKey));
    }
    this.#starter = plantKey(JSON.parse(raw) as FileMap, this.plantedKey);
    const saved = store.loadFiles(this.chapter);
    this.#ws = saved ? { files: saved, folders: store.loadFolders(this.chapter) } : { files: { ...this.#starter }, folders: [] };
    this.#autosave = createAutosave<WorkspaceSnapshot>({
      delayMs: 500,
      save: (s) => {
        store.saveFiles(this.chapter, s.files);
        store.saveFolders(this.chapter, s.folders);
      },
      onSaved: () => this.#status(persistent ? 'All changes saved in this browser.' : ''),
      onError: (err) => this.#saveError(err),
    });
    if (!persistent) this.#status('This browser blocks site storage: your work will be lost when you leave the page.', true);

    // Nothing typed is lost: write pending edits when the tab is hidden or the page goes away.
    window.addEventListener('pagehide', () => this.#autosave.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.#autosave.flush();
    });

    // The button may be pressed while the editor is already loading (it scrolled into view): the
    // learner still asked for it, so focus it when it is ready.
    const openButton = this.querySelector('[data-lp-open]');
    for (const type of ['pointerenter', 'focus']) openButton?.addEventListener(type, () => this.#preload(), { once: true });
    openButton?.addEventListener('click', () => {
      this.#focusWhenReady = true;
      void this.open().catch(() => {});
    });
    // The same chapter open in two tabs: the last one saved wins, so say so instead of losing work silently.
    window.addEventListener('storage', (e: StorageEvent) => {
      if (e.key?.endsWith(`:files:${this.chapter}`) && e.newValue !== null) {
        this.#status('This exercise was changed in another tab. Reload this page to see those changes; saving here would replace them.', true);
      }
    });
    this.querySelector('[data-lp-reset]')?.addEventListener('click', () => void this.#reset());
    this.querySelector('[data-lp-undo]')?.addEventListener('click', () => this.#undo());
    this.#renderSummary();
    this.#updateUndo();

    // Open by itself once the workspace is on screen, unless the learner asked to save data.
    const saveData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData;
    if ('IntersectionObserver' in window && !saveData) {
      this.#observer = new IntersectionObserver((entries) => {
        // Only Monaco starts loading: the button stays where it is (a keyboard learner may be about
        // to press it), and pressing it then shows the plain text editor at once.
        if (entries.some((e) => e.isIntersecting)) {
          this.#observer?.disconnect();
          void this.#startLoading().catch(() => {});
        }
      });
      this.#observer.observe(this.querySelector('[data-lp-closed]') ?? this);
    }
    this.ready = true;
    this.#emit('lp-workspace-ready', { files: this.getFiles() });
  }

  getFiles(): FileMap {
    return { ...this.#ws.files };
  }
  getFolders(): string[] {
    return [...this.#ws.folders];
  }
  starterFiles(): FileMap {
    return { ...this.#starter };
  }

  setFiles(files: FileMap, options: { undoable?: boolean; folders?: string[] } = {}) {
    const next = { files: { ...files }, folders: options.folders ?? [] };
    this.#autosave.flush();
    if (options.undoable) this.#tryWrite(() => this.#history.replace(this.#ws, next));
    else this.#autosave.schedule(next);
    this.#ws = next;
    this.#external('set');
    this.#autosave.flush();
  }

  flush(): boolean {
    return this.#autosave.flush();
  }

  /** Shows the files at once (plain text editor), loads Monaco (once) and lets it take over. */
  open(): Promise<void> {
    this.#observer?.disconnect();
    if (!this.dataset.editor) this.#showPlainEditor();
    return this.#startLoading();
  }

  #startLoading(): Promise<void> {
    this.#opening ??= this.#load().catch((err) => {
      this.#opening = null;
      // The plain text editor stays: the learner keeps working, only colours and shortcuts are missing.
      const next = this.#plain ? 'You can keep editing as plain text; your changes are saved. Reload the page to try again.' : 'Check your connection and press "Open the exercise" again.';
      this.#status(`The full editor could not load (${(err as Error).message}). ${next}`, true);
      throw err;
    });
    return this.#opening;
  }

  /** Fetch and compile the editor's modules without running them (on intent: hover, focus, open). */
  #preload() {
    const m = manifest as EditorManifest;
    // For bench:page: its clock starts at the first sign of intent, or here if that came first.
    if (!performance.getEntriesByName('lp-editor-preload').length) performance.mark('lp-editor-preload');
    for (const href of [m.script, ...(m.preload ?? [])]) {
      if (document.querySelector(`link[rel="modulepreload"][href="${href}"]`)) continue;
      const hint = document.createElement('link');
      hint.rel = 'modulepreload';
      hint.href = href;
      document.head.append(hint);
    }
  }

  /** Shows the files at once in a plain text area that takes typing while Monaco loads. */
  #showPlainEditor() {
    const closed = this.querySelector<HTMLElement>('[data-lp-closed]');
    const main = this.querySelector<HTMLElement>('[data-lp-main]')!;
    const editorEl = this.querySelector<HTMLElement>('[data-lp-editor]')!;
    const hadFocus = closed?.contains(document.activeElement) ?? false;
    main.hidden = false;
    main.setAttribute('aria-busy', 'true');
    if (closed) closed.hidden = true;
    this.#plain = createPlainEditor(
      editorEl,
      this.querySelector<HTMLElement>('[data-lp-tabs]'),
      { text: (p) => this.#ws.files[p], editFile: (p, text) => this.#host().editFile(p, text) },
      startingFile(this.#ws, this.#store.loadView(this.chapter)),
    );
    this.editor = this.#plain.handle;
    this.dataset.editor = 'plain';
    // The button that had focus is gone: focus moves to the text, not to the top of the page.
    if (this.#focusWhenReady || hadFocus) this.#plain.handle.focus();
    this.#status('Loading the full editor… you can type already.');
    this.#emit('lp-plain-editor', {});
  }

  async #load() {
    const m = manifest as EditorManifest;
    this.#preload();
    // Monaco's CSS goes in only now, and before its JS runs so the first layout is right.
    if (m.css && !document.querySelector(`link[data-lp-editor-css]`)) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = m.css;
      link.dataset.lpEditorCss = '';
      const loaded = new Promise<void>((resolve) => {
        link.onload = link.onerror = () => resolve();
      });
      document.head.append(link);
      const mod = import(/* @vite-ignore */ m.script) as Promise<EditorModule>;
      await loaded;
      await this.#mount(await mod, m);
    } else {
      await this.#mount(await import(/* @vite-ignore */ m.script), m);
    }
  }

  /** Monaco takes over from the plain text editor: same file, same text, caret and focus. */
  async #mount(mod: EditorModule, m: EditorManifest) {
    const plain = this.#plain;
    // Text being composed with an IME is not in the text area's value until the composition ends.
    await plain?.settled();
    // From here to the end, no await: no keystroke can fall between the two editors.
    // Focus goes to Monaco if the learner was typing in the plain editor, or (opened by scrolling)
    // if the button that is about to disappear had it.
    const closed = this.querySelector<HTMLElement>('[data-lp-closed]');
    const focus = plain ? plain.hasFocus() : (closed?.contains(document.activeElement) ?? false);
    const caret = plain?.selection();
    const path = plain?.handle.activePath ?? null;
    const main = this.querySelector<HTMLElement>('[data-lp-main]')!;
    main.hidden = false;
    if (closed) closed.hidden = true;
    this.editor = mod.mount(this.#host(), m, path);
    plain?.remove();
    this.#plain = null;
    if (caret && path !== null) this.editor.select?.(caret.start, caret.end);
    main.removeAttribute('aria-busy');
    this.dataset.open = '';
    this.dataset.editor = 'monaco';
    if (focus) this.editor.focus();
    this.#status('');
    this.#emit('lp-editor-ready', {});
  }

  #host(): WorkspaceHost {
    return {
      root: this,
      chapter: this.chapter,
      snapshot: () => ({ files: this.#ws.files, folders: this.#ws.folders }),
      editFile: (path, text) => {
        this.#ws = { files: { ...this.#ws.files, [path]: text }, folders: this.#ws.folders };
        this.#changed('edit', path);
      },
      applyTree: (ws, reason, path) => {
        this.#ws = { files: { ...ws.files }, folders: [...ws.folders] };
        this.#changed(reason, path);
        this.#autosave.flush();
      },
      confirm: (o: ConfirmOptions) => confirmDialog(this, o),
      prompt: (o: PromptOptions) => promptDialog(this, o),
      onExternalChange: (cb) => void this.#listeners.push(cb),
      announce: (message) => this.#status(message),
      loadView: () => this.#store.loadView(this.chapter),
      saveView: (view) => {
        try {
          this.#store.saveView(this.chapter, view);
        } catch {
          /* which tabs were open is not worth an error message */
        }
      },
    };
  }

  async #reset() {
    const ok = await confirmDialog(this, {
      title: 'Reset to the starter files?',
      body: 'Your files go back to how the exercise started. You can undo this with "Undo reset", also after a reload.',
      confirmLabel: 'Reset',
      danger: true,
    });
    if (!ok) return;
    this.#autosave.flush();
    const starter = { files: { ...this.#starter }, folders: [] };
    if (!this.#tryWrite(() => this.#history.reset(this.#ws, starter))) return;
    this.#autosave.cancel();
    this.#ws = starter;
    this.#external('reset');
    this.#status('Files reset to the starter. Press "Undo reset" to get your work back.');
    this.querySelector<HTMLElement>('[data-lp-undo]')?.focus();
  }

  #undo() {
    this.#autosave.flush();
    let snap: WorkspaceSnapshot | null = null;
    if (!this.#tryWrite(() => (snap = this.#history.undo()))) return;
    if (!snap) return;
    this.#ws = snap;
    this.#autosave.cancel();
    this.#external('undo');
    this.#status('Your files are back as they were before the reset.');
    this.querySelector<HTMLElement>('[data-lp-reset]')?.focus();
  }

  #changed(reason: ChangeReason, path?: string) {
    this.#autosave.schedule({ files: this.#ws.files, folders: this.#ws.folders });
    this.#renderSummary();
    this.#emit('lp-files-change', { files: this.getFiles(), reason, path });
  }

  #external(reason: ChangeReason) {
    for (const cb of this.#listeners) cb(reason);
    this.#plain?.refresh(startingFile(this.#ws, null));
    this.#renderSummary();
    this.#updateUndo();
    this.#emit('lp-files-change', { files: this.getFiles(), reason });
  }

  #tryWrite(fn: () => unknown): boolean {
    try {
      fn();
      return true;
    } catch (err) {
      this.#saveError(err);
      return false;
    }
  }

  #saveError(err: unknown) {
    const message = err instanceof StorageFullError ? err.message : `Saving failed: ${(err as Error)?.message ?? err}. Your code is still in the editor.`;
    this.#status(message, true);
    this.#emit('lp-save-error', { message });
  }

  #updateUndo() {
    const undo = this.querySelector<HTMLElement>('[data-lp-undo]');
    if (undo) undo.hidden = !this.#history.canUndo();
  }

  #renderSummary() {
    const count = this.querySelector('[data-lp-file-count]');
    if (count) {
      const n = Object.keys(this.#ws.files).length;
      count.textContent = `${n} file${n === 1 ? '' : 's'}`;
    }
  }

  #status(message: string, alert = false) {
    const status = this.querySelector<HTMLElement>('[data-lp-status]');
    const alertEl = this.querySelector<HTMLElement>('[data-lp-alert]');
    if (alert && alertEl) {
      alertEl.textContent = message;
      alertEl.hidden = false;
    } else if (status && status.textContent !== message) {
      // Unchanged text is not rewritten, so screen readers do not repeat "saved" after every pause.
      status.textContent = message;
      if (alertEl && !alert && message.startsWith('All changes saved')) alertEl.hidden = true;
    }
  }

  #emit(type: string, detail: object) {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, detail: { chapter: this.chapter, ...detail } }));
  }
}

if (!customElements.get('lp-workspace')) customElements.define('lp-workspace', LpWorkspace);
