// Monaco's own themes with the few token colours below WCAG AA contrast (4.5:1) replaced, so the
// page passes axe with the editor open in both site themes (measured against Monaco 0.57's themes).
import type * as Monaco from 'monaco-editor/editor/editor.api.js';

export const LIGHT = 'leakproof-light';
export const DARK = 'leakproof-dark';

export function defineThemes(monaco: typeof Monaco): void {
  monaco.editor.defineTheme(LIGHT, {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'annotation', foreground: '6B6B6B' },
      { token: 'metatag.html', foreground: '6B6B6B' },
      { token: 'metatag.xml', foreground: '6B6B6B' },
      { token: 'metatag.content.html', foreground: 'C80000' },
      { token: 'attribute.name', foreground: 'C80000' },
    ],
    colors: {},
  });
  monaco.editor.defineTheme(DARK, {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'comment', foreground: '6A9955' },
      { token: 'variable.predefined', foreground: '569CD6' },
      { token: 'regexp', foreground: 'C586C0' },
      { token: 'annotation', foreground: 'DD6A6F' },
      { token: 'delimiter.html', foreground: '9A9A9A' },
      { token: 'delimiter.xml', foreground: '9A9A9A' },
    ],
    colors: {},
  });
}
