// The slice of Monaco this course needs: the core editor, the contributions a beginner uses (find,
// comments, brackets, suggestions from words in the file, tab focus mode) and the Monarch grammars of
// the languages in src/lib/workspace/language.ts. Bundled by build/editor-bundle.mjs, never by Astro,
// so none of its CSS reaches a page before the learner opens the exercise.
import * as monaco from 'monaco-editor/editor/editor.api.js';
// Each contribution costs download: the core (editor.api) is ~705 KB gzip, the budget for everything
// is 800 KB. Kept: what a beginner uses while fixing a small project (sizes are gzip, measured).
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching.js'; // 2 KB
import 'monaco-editor/editor/contrib/comment/browser/comment.js'; // 3 KB: Ctrl+/
import 'monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo.js'; // 1 KB
import 'monaco-editor/editor/contrib/find/browser/findController.js'; // 18 KB: Ctrl+F, the page's find cannot see the editor
import 'monaco-editor/editor/contrib/indentation/browser/indentation.js'; // 3 KB
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations.js'; // 7 KB: Ctrl+Shift+K, Alt+↑/↓
import 'monaco-editor/editor/contrib/toggleTabFocusMode/browser/toggleTabFocusMode.js'; // Ctrl+M
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations.js'; // 1 KB: Ctrl+Backspace
// Left out: hover (89 KB), suggest (38 KB), clipboard actions (28 KB; the keyboard's copy/paste
// works without them), multicursor (22 KB), folding, gotoError; and the JSON/TypeScript language
// services with their workers (JSON alone: 280 KB), so there are no diagnostics, only colours.
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon.css';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon-modifiers.css';
// Grammars: each registers its id and loads its tokenizer in its own small chunk on first use.
import 'monaco-editor/languages/definitions/typescript/register.js';
import 'monaco-editor/languages/definitions/javascript/register.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import 'monaco-editor/languages/definitions/dockerfile/register.js';
import 'monaco-editor/languages/definitions/ini/register.js';
import 'monaco-editor/languages/definitions/markdown/register.js';
import 'monaco-editor/languages/definitions/shell/register.js';
import 'monaco-editor/languages/definitions/html/register.js';
import 'monaco-editor/languages/definitions/css/register.js';
import { registerJson } from './json-language.ts';

registerJson(monaco);

export { monaco };

/** Worker scripts, same-origin (the page is cross-origin isolated with COEP require-corp). */
export interface WorkerUrls {
  editor: string;
}

// Monaco starts its editor worker only for features that need it (formatting edits, links); it is
// configured so that anything that does ask for it gets a same-origin script.
export function configureWorkers(urls: WorkerUrls): void {
  (globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
    getWorker(_moduleId: string, label: string) {
      return new Worker(urls.editor, { name: label });
    },
  };
}
