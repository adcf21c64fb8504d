// The "Do this in your own project" checklist of each chapter (a section every chapter has, see
// CHAPTERS.md), pulled from the chapter's MDX at build time so the end page can gather them
// without a second copy to keep in sync. Display only: items keep the inline markdown the course
// uses (`code`, **bold**, [links](…)), rendered to safe HTML here.

const HEADING = /^##\s+Do this in your own project\s*$/im;

/** The top-level list items of the section, as markdown, or [] when the chapter has none. */
export function ownProjectItems(mdx: string): string[] {
  const m = HEADING.exec(mdx);
  if (!m) return [];
  const rest = mdx.slice(m.index + m[0].length).split('\n');
  const items: string[] = [];
  for (const line of rest) {
    if (/^#{1,6}\s/.test(line) || /^<[A-Za-z]/.test(line)) break; // next heading or an author component
    const item = /^[-*]\s+(.*)$/.exec(line);
    // "- [ ] Do this" (a task list) and "- Do this" are both checklist items.
    if (item) items.push(item[1]!.replace(/^\[[ xX]\]\s+/, '').trim());
    else if (/^\s+\S/.test(line) && items.length) items[items.length - 1] += ` ${line.trim()}`;
  }
  return items;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Inline markdown → HTML: code spans, bold, links (only relative, #anchors and https). */
export function inlineMarkdown(md: string): string {
  return md
    .split(/(`[^`]*`)/)
    .map((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length >= 2) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (all, text: string, href: string) =>
          /^(https:\/\/|\/|#|\.\.?\/)/.test(href) ? `<a href="${href}">${text}</a>` : all,
        );
    })
    .join('');
}
