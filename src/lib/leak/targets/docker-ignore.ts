// .dockerignore matching with Docker's own semantics, ported from moby's `patternmatcher` and
// `dockerignore.ReadAll` (the code `docker build` runs). It differs from .gitignore: patterns are
// relative to the context root (a leading "/" is dropped, no "match at any depth" for bare names),
// `*` never crosses "/", `**` matches any number of folders, a pattern that matches a folder
// excludes everything inside it, `!` re-includes, and the last matching line wins.
// Why not a library: @balena/dockerignore (the common port) imports node's `path`, which the pure
// core may not use; the algorithm is ~80 lines and pinned by tests against Docker's documented cases.

/** Go's path.Clean for POSIX paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s || (rooted ? '/' : '.');
}

interface Pattern {
  exclusion: boolean;
  re: RegExp;
  source: string;
}

const SPECIAL = new Set(['.', '+', '(', ')', '{', '}', '|', '^', '$']);

function compile(pattern: string): RegExp {
  let re = '^';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') i++;
        // "**" at the end accepts everything below; elsewhere it is any number of folders (even 0).
        re += i + 1 >= chars.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (SPECIAL.has(ch)) re += '\\' + ch;
    else if (ch === '\\') {
      if (i + 1 < chars.length) re += '\\' + chars[++i];
      else re += '\\\\';
    } else if (ch === '[') {
      // Go's filepath.Match negates a class with "!" (or "^"); a regex needs "^".
      re += chars[i + 1] === '!' ? (i++, '[^') : '[';
    } else re += ch;
  }
  try {
    return new RegExp(re + '$', 's');
  } catch {
    throw new Error(`.dockerignore: the pattern "${pattern}" is not valid (check its [ ] brackets).`);
  }
}

/** Parses .dockerignore text into the pattern list Docker uses (comments, blanks, "!" and "/" handled). */
export function parseDockerignore(text: string): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let line of lines) {
    if (line.startsWith('#')) continue;
    line = line.trim();
    if (!line) continue;
    const invert = line[0] === '!';
    if (invert) line = line.slice(1).trim();
    if (line) {
      line = cleanPath(line);
      if (line.length > 1 && line[0] === '/') line = line.slice(1);
    }
    out.push(invert ? '!' + line : line);
  }
  return out;
}

export class DockerIgnore {
  private patterns: Pattern[] = [];

  constructor(patterns: string[]) {
    for (let p of patterns) {
      p = p.trim();
      if (!p) continue;
      p = cleanPath(p);
      const exclusion = p[0] === '!';
      if (exclusion) {
        if (p.length === 1) throw new Error('.dockerignore: a line with only "!" is not a valid pattern.');
        p = p.slice(1);
      }
      this.patterns.push({ exclusion, re: compile(p), source: p });
    }
  }

  static fromText(text: string): DockerIgnore {
    return new DockerIgnore(parseDockerignore(text));
  }

  /** True when `file` (relative to the context root, "/"-separated) is left out of the build context. */
  ignores(file: string): boolean {
    file = cleanPath(file);
    const slash = file.lastIndexOf('/');
    const parent = slash < 0 ? '.' : file.slice(0, slash);
    const parentDirs = parent.split('/');
    let matched = false;
    for (const p of this.patterns) {
      // An inclusion cannot change an already-ignored file, an exclusion only an ignored one.
      if (p.exclusion !== matched) continue;
      let match = p.re.test(file);
      if (!match && parent !== '.') {
        for (let i = 0; i < parentDirs.length && !match; i++) match = p.re.test(parentDirs.slice(0, i + 1).join('/'));
      }
      if (match) matched = !p.exclusion;
    }
    return matched;
  }
}
