// index.html as Vite's build treats it: local module scripts (with `src` or inline) and local
// stylesheets become the bundle's entry; the built page refers to the hashed output instead.

export interface HtmlEntry {
  /** Module scripts and stylesheets, in document order. */
  imports: Array<{ kind: 'script' | 'style'; src: string } | { kind: 'inline'; code: string }>;
  /** The page without those tags; `inject` puts the built tags back. */
  stripped: string;
}

const ATTR = (name: string) => new RegExp(String.raw`\b${name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`, 'i');

function attr(tag: string, name: string): string | undefined {
  const m = ATTR(name).exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** A URL the bundler should process (not another site, not a data: URL). */
export function isLocalUrl(url: string): boolean {
  return !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(url);
}

export function readHtmlEntry(html: string): HtmlEntry {
  const imports: HtmlEntry['imports'] = [];
  let stripped = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi, (whole, attrs: string, body: string) => {
    if ((attr(attrs, 'type') ?? '').toLowerCase() !== 'module') return whole;
    const src = attr(attrs, 'src');
    if (src !== undefined) {
      if (!isLocalUrl(src)) return whole;
      imports.push({ kind: 'script', src });
      return '';
    }
    imports.push({ kind: 'inline', code: body });
    return '';
  });
  stripped = stripped.replace(/<link\b([^>]*)>/gi, (whole, attrs: string) => {
    if ((attr(attrs, 'rel') ?? '').toLowerCase() !== 'stylesheet') return whole;
    const href = attr(attrs, 'href');
    if (href === undefined || !isLocalUrl(href)) return whole;
    imports.push({ kind: 'style', src: href });
    return '';
  });
  return { imports, stripped };
}

/** Puts the built script and stylesheet tags at the end of <head>, where Vite puts them. */
export function injectBuiltTags(html: string, tags: { scripts: string[]; styles: string[] }): string {
  const lines = [
    ...tags.scripts.map((src) => `<script type="module" crossorigin src="${src}"></script>`),
    ...tags.styles.map((href) => `<link rel="stylesheet" crossorigin href="${href}">`),
  ];
  if (lines.length === 0) return html;
  const block = lines.map((l) => `  ${l}\n`).join('');
  if (/<\/head>/i.test(html)) return html.replace(/<\/head>/i, `${block}</head>`);
  return block + html;
}
