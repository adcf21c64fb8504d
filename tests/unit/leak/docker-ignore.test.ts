// .dockerignore semantics, cases from Docker's documentation and moby's patternmatcher tests.
import { describe, it, expect } from 'vitest';
import { DockerIgnore, parseDockerignore, cleanPath } from '../../../src/lib/leak/targets/docker-ignore.ts';

const cases: Array<[name: string, ignoreFile: string, ignored: string[], kept: string[]]> = [
  ['a bare name matches only at the context root (unlike .gitignore)', '.env\n', ['.env'], ['app/.env', '.env.example']],
  ['**/ matches at any depth, including the root', '**/.env\n', ['.env', 'app/.env', 'a/b/c/.env'], ['.env.example']],
  ['a leading slash is the context root', '/.env\n', ['.env'], ['x/.env']],
  ['a folder pattern excludes everything inside it', 'secrets\n', ['secrets/a.txt', 'secrets/deep/b.txt'], ['secrets.txt', 'x/secrets/a']],
  ['a trailing slash is cleaned away', 'secrets/\n', ['secrets/a.txt'], ['other/a.txt']],
  ['* does not cross folders', '*/temp*\n', ['somedir/temporary.txt', 'somedir/temp/x'], ['temp', 'a/b/temp']],
  ['two levels', '*/*/temp*\n', ['a/b/temp.txt'], ['a/temp.txt']],
  ['? is one character', 'temp?\n', ['tempa', 'tempb'], ['temp', 'tempab']],
  ['**/*.go anywhere', '**/*.go\n', ['main.go', 'a/b/c.go'], ['main.goo']],
  ['! re-includes, last match wins', '*.md\n!README.md\n', ['CHANGES.md'], ['README.md']],
  ['exceptions to exceptions', '*.md\n!README*.md\nREADME-secret.md\n', ['README-secret.md', 'x.md'], ['README.md', 'README-public.md']],
  ['! re-includes a file inside an ignored folder', 'secrets\n!secrets/ok.txt\n', ['secrets/no.txt'], ['secrets/ok.txt']],
  ['comments and blank lines are skipped', '# .env\n\n   \n', [], ['.env', '# .env']],
  ['everything, then bring back what the image needs', '*\n!src\n!package.json\n', ['.env', 'README.md', 'node_modules/a/index.js'], ['src/index.js', 'package.json']],
  ['.. and ./ are cleaned', './a/../.env\n', ['.env'], ['a/.env']],
  ['trailing ** accepts everything below', 'build/**\n', ['build/a', 'build/x/y'], ['buildx']],
  ['character classes, with ! negation', 'file[0-9].txt\nlog[!a].txt\n', ['file1.txt', 'logb.txt'], ['filex.txt', 'loga.txt']],
  ['dots are literal', '.env.*\n', ['.env.local', '.env.production'], ['xenvxlocal', '.env']],
];

describe('.dockerignore (Docker semantics)', () => {
  for (const [name, text, ignored, kept] of cases) {
    it(name, () => {
      const di = DockerIgnore.fromText(text);
      for (const f of ignored) expect(di.ignores(f), `${f} should be ignored`).toBe(true);
      for (const f of kept) expect(di.ignores(f), `${f} should be kept`).toBe(false);
    });
  }

  it('parses lines like dockerignore.ReadAll', () => {
    expect(parseDockerignore('\uFEFF# c\n /a/ \n! b\n\n')).toEqual(['a', '!b']);
  });

  it('cleans paths like Go', () => {
    expect(cleanPath('a//b/./c/..')).toBe('a/b');
    expect(cleanPath('/')).toBe('/');
    expect(cleanPath('')).toBe('.');
    expect(cleanPath('../x')).toBe('../x');
  });

  it('rejects a lone "!"', () => {
    expect(() => new DockerIgnore(['!'])).toThrow(/only "!"/);
  });
});
