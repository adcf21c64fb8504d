// The exercise editor, loaded only when the learner opens the workspace: file tree, tabs and Monaco.
// Entry of the separately built bundle (build/editor-bundle.mjs); <lp-workspace> imports it with
// import() and calls mount().
import { monaco, configureWorkers } from './monaco.ts';
import { languageForPath } from '../../../lib/workspace/language.ts';
import { firstFile as projectStart, startingFile } from '../../../lib/workspace/start.ts';
import { createFileTree } from './file-tree.ts';
import { DARK, LIGHT, defineThemes } from './themes.ts';
import type { EditorHandle, EditorManifest, WorkspaceHost } from '../contract.ts';

type Model = ReturnType<typeof monaco.editor.createModel>;
type ViewState = ReturnType<ReturnType<typeof monaco.editor.create>['saveViewState']>;

const themeName = () => {
  const t = document.documentElement.dataset.theme;
  const dark = t ? t === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  return dark ? DARK : LIGHT;
};

export function mount(host: WorkspaceHost, manifest: EditorManifest, startPath: string | null = null): EditorHandle {
  configureWorkers(manifest.workers);
  defineThemes(monaco);
  const root = host.root;
  const editorEl = root.querySelector<HTMLElement>('[data-lp-editor]')!;
  const tabsEl = root.querySelector<HTMLElement>('[data-lp-tabs]')!;
  const escHint = root.querySelector<HTMLElement>('[data-lp-esc-hint]');
  const models = new Map<string, Model>();
  const viewStates = new Map<string, ViewState>();
  let tabs: string[] = [];
  let active: string | null = null;
  let external = false;

  const editor = monaco.editor.create(editorEl, {
    model: null,
    automaticLayout: true,
    theme: themeName(),
    // Beginner-friendly: no minimap, wrapped lines, readable size, suggestions only on Ctrl+Space.
    minimap: { enabled: false },
    wordWrap: 'on',
    fontSize: 15,
    lineHeight: 22,
    lineNumbersMinChars: 3,
    // The number of a file's empty last line is drawn dimmed by default, at 1.75:1 contrast.
    renderFinalNewline: 'on',
    scrollBeyondLastLine: false,
    tabSize: 2,
    renderWhitespace: 'trailing',
    quickSuggestions: false,
    wordBasedSuggestions: 'currentDocument',
    stickyScroll: { enabled: false },
    fixedOverflowWidgets: true,
    padding: { top: 8, bottom: 8 },
    ariaLabel: 'Code editor. Press Escape, then Tab, to leave it.',
  });

  // Follow the site's theme toggle (H1's ThemeSelect sets data-theme on <html>).
  new MutationObserver(() => monaco.editor.setTheme(themeName())).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => monaco.editor.setTheme(themeName()));

  // No keyboard trap: Esc switches Tab to "move focus" until the learner types again.
  let tabLeaves = false;
  const setTabLeaves = (on: boolean) => {
    if (tabLeaves === on) return;
    tabLeaves = on;
    editor.updateOptions({ tabFocusMode: on });
    if (escHint) escHint.hidden = !on;
  };
  editor.onKeyDown((e) => {
    if (e.keyCode === monaco.KeyCode.Escape) setTabLeaves(true);
    else if (e.keyCode !== monaco.KeyCode.Tab && e.keyCode !== monaco.KeyCode.Shift) setTabLeaves(false);
  });
  editor.onDidBlurEditorText(() => setTabLeaves(false));

  const uri = (path: string) => monaco.Uri.from({ scheme: 'file', path: `/${host.chapter}/${path}` });
  const modelFor = (path: string): Model => {
    let m = models.get(path);
    if (m) return m;
    m = monaco.editor.createModel(host.snapshot().files[path] ?? '', languageForPath(path), uri(path));
    const model = m;
    model.onDidChangeContent(() => {
      if (!external) host.editFile(path, model.getValue());
    });
    models.set(path, m);
    return m;
  };
  const dropModel = (path: string) => {
    models.get(path)?.dispose();
    models.delete(path);
    viewStates.delete(path);
  };

  const renderTabs = () => {
    tabsEl.replaceChildren(
      ...tabs.map((path) => {
        const li = document.createElement('li');
        li.className = 'lp-tab';
        const btn = document.createElement('button');
        btn.type = 'button';
        btn.className = 'lp-tab__open';
        btn.textContent = path.slice(path.lastIndexOf('/') + 1);
        btn.title = path;
        btn.dataset.path = path;
        if (path === active) btn.setAttribute('aria-current', 'true');
        btn.addEventListener('click', () => open(path, true));
        const close = document.createElement('button');
        close.type = 'button';
        close.className = 'lp-tab__close';
        close.setAttribute('aria-label', `Close ${path}`);
        close.textContent = '×';
        close.addEventListener('click', () => closeTab(path));
        li.append(btn, close);
        return li;
      }),
    );
    host.saveView({ tabs, active });
  };

  const open = (path: string, focus: boolean) => {
    if (!Object.hasOwn(host.snapshot().files, path)) return;
    if (active && active !== path) viewStates.set(active, editor.saveViewState());
    if (!tabs.includes(path)) tabs.push(path);
    active = path;
    editor.setModel(modelFor(path));
    const vs = viewStates.get(path);
    if (vs) editor.restoreViewState(vs);
    editor.updateOptions({ ariaLabel: `Editing ${path}. Press Escape, then Tab, to leave the editor.` });
    tree.select(path);
    renderTabs();
    if (focus) editor.focus();
  };
  const closeTab = (path: string) => {
    const i = tabs.indexOf(path);
    tabs = tabs.filter((p) => p !== path);
    if (active === path) {
      active = null;
      const next = tabs[Math.min(i, tabs.length - 1)];
      if (next) open(next, false);
      else editor.setModel(null);
    }
    renderTabs();
  };

  const tree = createFileTree(
    host,
    root,
    (path, focus) => open(path, focus),
    (removed, moved) => {
      for (const p of removed) {
        tabs = tabs.filter((t) => t !== p);
        if (active === p) active = null;
        dropModel(p);
      }
      for (const [from, to] of moved ?? []) {
        const vs = viewStates.get(from);
        const wasActive = active === from;
        dropModel(from);
        tabs = tabs.map((t) => (t === from ? to : t));
        if (vs) viewStates.set(to, vs);
        if (wasActive) active = null, open(to, false);
      }
      if (active === null) {
        if (tabs[0]) open(tabs[0], false);
        else editor.setModel(null);
      }
      renderTabs();
    },
  );

  // Reset, undo or setFiles replaced the files: bring models, tabs and tree in line.
  host.onExternalChange(() => {
    const files = host.snapshot().files;
    external = true;
    try {
      for (const [path, m] of models) {
        if (!Object.hasOwn(files, path)) dropModel(path);
        else if (m.getValue() !== files[path]) m.setValue(files[path]!);
      }
    } finally {
      external = false;
    }
    tabs = tabs.filter((p) => Object.hasOwn(files, p));
    if (active && !Object.hasOwn(files, active)) active = null;
    tree.render();
    const first = active ?? tabs[0] ?? firstFile();
    if (first) open(first, false);
    else editor.setModel(null);
  });

  // Open the project's own starting point first (its README, else its entry file), not whatever
  // sorts first in the tree (a chapter 3 learner used to land on public/favicon.svg).
  const firstFile = () => projectStart(host.snapshot());

  tree.render();
  // Come back to the tabs the learner had open; the file the plain text editor showed comes first.
  const files = host.snapshot().files;
  const view = host.loadView();
  for (const p of view?.tabs ?? []) if (Object.hasOwn(files, p) && !tabs.includes(p)) tabs.push(p);
  const start = startPath !== null && Object.hasOwn(files, startPath) ? startPath : startingFile(host.snapshot(), view);
  if (start) open(start, false);

  return {
    text: (path) => models.get(path)?.getValue() ?? host.snapshot().files[path],
    open: (path) => open(path, true),
    // Right after creation Monaco's input element is not attached yet: focus on the next frame.
    focus: () => {
      editor.focus();
      requestAnimationFrame(() => editor.focus());
    },
    get activePath() {
      return active;
    },
    select: (start, end) => {
      const model = editor.getModel();
      if (!model) return;
      const a = model.getPositionAt(start);
      const b = model.getPositionAt(end);
      editor.setSelection(new monaco.Selection(a.lineNumber, a.column, b.lineNumber, b.column));
      editor.revealRangeInCenterIfOutsideViewport(new monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column));
    },
    // The check panel's "Compare with a solution": Monaco's diff editor, in a chunk of its own that
    // loads on first use (the handle is returned at once so the panel can dispose it any time).
    diff: (container, original, modified, path) => {
      let inner: { dispose(): void } | null = null;
      let disposed = false;
      container.setAttribute('aria-busy', 'true');
      import('./diff-editor.ts')
        .then((m) => {
          if (!disposed) inner = m.createDiff(container, original, modified, path, themeName());
        })
        .catch((err: Error) => {
          container.textContent = `The comparison could not load (${err.message}). Close it and press "Compare with a solution" again.`;
        })
        .finally(() => container.removeAttribute('aria-busy'));
      return {
        dispose() {
          disposed = true;
          inner?.dispose();
        },
      };
    },
  };
}
