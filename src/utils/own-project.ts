// The "Do this in your own project" checklist of each chapter (a section every chapter has, see
// CHAPTERS.md), pulled from the chapter's MDX at build time so the end page can gather them
// without a second copy to keep in sync. Display only: items keep their inline markdown (`code`,
// **bold**), which the page renders with <InlineMarkdown>.

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
