// Monaco's diff editor for "Compare with a solution" (issue 4): the learner's file on the left, the
// solution's on the right, both read-only (their code is kept; applying the solution is a separate,
// undoable button). Its own chunk: main.ts loads it with import() only when the comparison opens,
// so opening the editor downloads nothing more (tests/unit/workspace-editor-bundle.test.ts).
import { monaco } from './monaco.ts';
import { languageForPath } from '../../../lib/workspace/language.ts';

export function createDiff(container: HTMLElement, original: string, modified: string, path: string, theme: string): { dispose(): void } {
  const language = languageForPath(path);
  const left = monaco.editor.createModel(original, language);
  const right = monaco.editor.createModel(modified, language);
  const label = `Differences in ${path}: your code, then the solution`;
  container.setAttribute('role', 'group');
  container.setAttribute('aria-label', label);
  const diff = monaco.editor.createDiffEditor(container, {
    theme,
    readOnly: true,
    originalEditable: false,
    automaticLayout: true,
    renderSideBySide: true,
    // Narrow column (the chapter text): side by side turns into inline below this width.
    renderSideBySideInlineBreakpoint: 600,
    minimap: { enabled: false },
    wordWrap: 'on',
    fontSize: 14,
    lineNumbersMinChars: 3,
    // The number of a file's empty last line is drawn dimmed by default, at 1.75:1 contrast.
    renderFinalNewline: 'on',
    scrollBeyondLastLine: false,
    stickyScroll: { enabled: false },
    renderOverviewRuler: false,
    // Read-only: Tab has nothing to indent, so it always moves focus on (no keyboard trap).
    tabFocusMode: true,
    originalAriaLabel: `Your ${path} (read-only). Press Escape, then Tab, to leave.`,
    modifiedAriaLabel: `The solution's ${path} (read-only). Press Escape, then Tab, to leave.`,
  });
  diff.setModel({ original: left, modified: right });
  return {
    dispose() {
      diff.dispose();
      left.dispose();
      right.dispose();
    },
  };
}
