// Which Monaco language shows a file, by its name. Only languages the editor bundle registers
// (see src/components/workspace/editor/languages.ts) may be returned.

export const LANGUAGES = ['typescript', 'javascript', 'json', 'yaml', 'dockerfile', 'ini', 'markdown', 'shell', 'html', 'css', 'plaintext'] as const;
export type EditorLanguage = (typeof LANGUAGES)[number];

const BY_EXTENSION: Record<string, EditorLanguage> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescript',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  json: 'json', jsonc: 'json', json5: 'json',
  yml: 'yaml', yaml: 'yaml',
  dockerfile: 'dockerfile',
  ini: 'ini', toml: 'ini', properties: 'ini', env: 'ini',
  md: 'markdown', markdown: 'markdown', mdx: 'markdown',
  sh: 'shell', bash: 'shell', zsh: 'shell',
  html: 'html', htm: 'html',
  css: 'css',
};

// Files known by their whole name; the ignore files read best as shell (comments with #).
const BY_NAME: Record<string, EditorLanguage> = {
  dockerfile: 'dockerfile', containerfile: 'dockerfile',
  '.gitignore': 'shell', '.dockerignore': 'shell', '.npmignore': 'shell', '.gitattributes': 'ini',
  '.npmrc': 'ini', '.editorconfig': 'ini', '.gitconfig': 'ini',
  '.husky/pre-commit': 'shell',
};

export function languageForPath(path: string): EditorLanguage {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const lower = name.toLowerCase();
  if (BY_NAME[path.toLowerCase()]) return BY_NAME[path.toLowerCase()]!;
  if (BY_NAME[lower]) return BY_NAME[lower]!;
  // .env, .env.local, .env.example, production.env
  if (lower === '.env' || lower.startsWith('.env.')) return 'ini';
  // Dockerfile.dev, dev.Dockerfile
  if (lower.startsWith('dockerfile.') || lower.startsWith('containerfile.')) return 'dockerfile';
  // Git hooks have no extension and are shell scripts.
  if (path.startsWith('.husky/') || path.startsWith('.git/hooks/') || path.startsWith('.githooks/')) return 'shell';
  const dot = lower.lastIndexOf('.');
  if (dot > 0 || (dot === 0 && !lower.slice(1).includes('.'))) {
    const ext = lower.slice(dot + 1);
    if (BY_EXTENSION[ext]) return BY_EXTENSION[ext]!;
  }
  return 'plaintext';
}
