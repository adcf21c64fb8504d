// A small line-based Dockerfile reader: the parser directive `# escape=`, continuation lines,
// comment lines inside continuations, JSON and shell forms, and heredocs (`<<EOF`, `<<-EOF`,
// quoted delimiters). Why not `dockerfile-ast`: it pulls in the VS Code language-server packages for
// positions we already have; the audit needs only instructions, their lines and their arguments.

export interface Heredoc {
  name: string;
  body: string;
  /** 1-based line of the first body line. */
  line: number;
}

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  keyword: string;
  /** Arguments after the keyword, continuation lines joined as Docker joins them. */
  args: string;
  line: number;
  endLine: number;
  heredocs: Heredoc[];
}

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

export function parseDockerfile(text: string): Instruction[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  // Parser directives: only at the very top, before any other line.
  for (; i < lines.length; i++) {
    const m = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[i]);
    if (!m) break;
    if (m[1].toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const out: Instruction[] = [];
  while (i < lines.length) {
    const raw = lines[i];
    if (/^\s*(#|$)/.test(raw)) {
      i++;
      continue;
    }
    const start = i;
    let logical = '';
    let line = raw;
    for (;;) {
      const trimmed = line.replace(/\s+$/, '');
      if (trimmed.endsWith(escape) && i + 1 < lines.length) {
        // Docker drops the escape and the line break and keeps the next line as it is: no space added.
        logical += trimmed.slice(0, -1);
        i++;
        // Comment and empty lines inside a continuation are dropped, as Docker does.
        while (i < lines.length && /^\s*(#|$)/.test(lines[i])) i++;
        if (i >= lines.length) break;
        line = lines[i];
        continue;
      }
      logical += trimmed.endsWith(escape) ? trimmed.slice(0, -1) : line;
      break;
    }
    const endLine = i + 1;
    i++;
    const m = /^\s*(\S+)\s*(.*)$/s.exec(logical)!;
    const keyword = m[1].toUpperCase();
    const args = m[2].trim();
    const heredocs: Heredoc[] = [];
    if (HEREDOC_KEYWORDS.has(keyword)) {
      const re = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
      let h: RegExpExecArray | null;
      while ((h = re.exec(args))) {
        const strip = h[1] === '-';
        const name = h[3];
        const bodyStart = i;
        const body: string[] = [];
        while (i < lines.length) {
          const l = strip ? lines[i].replace(/^\t+/, '') : lines[i];
          i++;
          if (l === name) break;
          body.push(l);
        }
        heredocs.push({ name, body: body.join('\n') + '\n', line: bodyStart + 1 });
      }
    }
    out.push({ keyword, args, line: start + 1, endLine: heredocs.length ? i : endLine, heredocs });
  }
  return out;
}

export interface CopyArgs {
  flags: Record<string, string>;
  excludes: string[];
  sources: string[];
  dest: string;
  /** Sources given inline as heredocs (their text is in the Dockerfile itself). */
  heredocSources: number;
}

/** The escape character the `# escape=` parser directive sets (default backslash). */
export function dockerfileEscape(text: string): '\\' | '`' {
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const m = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!m) break;
    if (m[1].toLowerCase() === 'escape' && m[2] === '`') return '`';
  }
  return '\\';
}

/** Splits shell-form words, honouring simple quotes (enough for paths and NAME=value pairs). */
export function splitWords(s: string): string[] {
  // Quotes may sit inside a word (NAME="a b" is one word: NAME=a b), as in Docker's shell lexer.
  const out: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"' || ch === "'") {
      inWord = true;
      const end = s.indexOf(ch, i + 1);
      const stop = end < 0 ? s.length : end;
      let part = s.slice(i + 1, stop);
      if (ch === '"') part = part.replace(/\\(["\\$`])/g, '$1');
      word += part;
      i = stop;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else if (ch === '\\' && i + 1 < s.length && /[\s"'\\]/.test(s[i + 1])) {
      word += s[++i];
      inWord = true;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}

/** Parses the arguments of COPY or ADD: flags, `--exclude`, JSON or shell form. */
export function parseCopyArgs(args: string): CopyArgs {
  const flags: Record<string, string> = {};
  const excludes: string[] = [];
  let rest = args.trim();
  for (;;) {
    const m = /^--([a-zA-Z-]+)(?:=(\S*))?\s*/.exec(rest);
    if (!m) break;
    if (m[1] === 'exclude') excludes.push(m[2] ?? '');
    else flags[m[1]] = m[2] ?? 'true';
    rest = rest.slice(m[0].length);
  }
  let list: string[];
  if (rest.startsWith('[')) {
    try {
      list = JSON.parse(rest);
    } catch {
      list = splitWords(rest);
    }
  } else list = splitWords(rest);
  const dest = list.length ? list[list.length - 1] : '.';
  const srcs = list.slice(0, -1);
  const sources = srcs.filter((s) => !s.startsWith('<<'));
  return { flags, excludes, sources, dest, heredocSources: srcs.length - sources.length };
}

/** FROM [--platform=…] image [AS name] */
export function parseFrom(args: string): { image: string; name?: string } {
  const w = splitWords(args).filter((x) => !x.startsWith('--'));
  const as = w.findIndex((x) => x.toLowerCase() === 'as');
  return { image: w[0] ?? '', name: as >= 0 ? w[as + 1]?.toLowerCase() : undefined };
}
