import { describe, expect, it } from 'vitest';
import { languageForPath } from '../../src/lib/workspace/language.ts';

describe('languageForPath', () => {
  const cases: Array<[string, string]> = [
    ['src/main.ts', 'typescript'],
    ['src/App.tsx', 'typescript'],
    ['server.js', 'javascript'],
    ['src/App.jsx', 'javascript'],
    ['vite.config.mjs', 'javascript'],
    ['package.json', 'json'],
    ['compose.yaml', 'yaml'],
    ['.github/workflows/ci.yml', 'yaml'],
    ['Dockerfile', 'dockerfile'],
    ['docker/Dockerfile.dev', 'dockerfile'],
    ['.env', 'ini'],
    ['.env.example', 'ini'],
    ['.env.local', 'ini'],
    ['README.md', 'markdown'],
    ['scripts/rotate.sh', 'shell'],
    ['.husky/pre-commit', 'shell'],
    ['.gitignore', 'shell'],
    ['.dockerignore', 'shell'],
    ['index.html', 'html'],
    ['src/style.css', 'css'],
    ['LICENSE', 'plaintext'],
    ['notes.txt', 'plaintext'],
  ];
  for (const [path, lang] of cases) it(`${path} → ${lang}`, () => expect(languageForPath(path)).toBe(lang));
});
