// Variables as Docker and Compose substitute them: `$NAME`, `${NAME}`, `${NAME:-word}` (unset or
// empty → word), `${NAME-word}` (unset → word), `${NAME:+word}` / `${NAME+word}` (set → word), and
// `\$` for a literal dollar (Dockerfile) or `$$` (Compose). Dockerfiles substitute in FROM, COPY, ADD,
// ENV, ARG, LABEL, WORKDIR, USER, EXPOSE (not in RUN: the shell does that at build time).

export type Vars = ReadonlyMap<string, string | undefined>;

/** Substitutes variables in `text`; `escape` is the Dockerfile escape character (or '$' for Compose's `$$`). */
export function expandVars(text: string, vars: Vars, escape: '\\' | '`' | '$' = '\\'): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (escape !== '$' && ch === escape && text[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    if (ch !== '$') {
      out += ch;
      continue;
    }
    if (escape === '$' && text[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) {
        out += text.slice(i);
        break;
      }
      out += braced(text.slice(i + 2, end), vars, escape);
      i = end;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (!m) {
      out += ch;
      continue;
    }
    out += vars.get(m[0]) ?? '';
    i += m[0].length;
  }
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

function braced(inner: string, vars: Vars, escape: '\\' | '`' | '$'): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(inner);
  if (!m) return '';
  const [, name, op, word = ''] = m;
  const value = vars.get(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op) {
    case ':-':
      return nonEmpty ? value! : expandVars(word, vars, escape);
    case '-':
      return set ? value! : expandVars(word, vars, escape);
    case ':+':
      return nonEmpty ? expandVars(word, vars, escape) : '';
    case '+':
      return set ? expandVars(word, vars, escape) : '';
    default:
      // ${NAME?err} / ${NAME:?err}: an error when unset; for the audit the value (or nothing) is enough.
      return value ?? '';
  }
}

/** KEY=VALUE lines of a .env file as Compose reads them (quotes removed, `export` allowed, comments skipped). */
export function parseDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2];
    const q = v[0];
    if ((q === '"' || q === "'") && v.lastIndexOf(q) > 0) v = v.slice(1, v.lastIndexOf(q));
    else v = v.replace(/\s+#.*$/, '');
    out.set(m[1], v);
  }
  return out;
}
