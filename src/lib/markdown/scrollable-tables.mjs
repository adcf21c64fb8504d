// A Markdown table in a chapter scrolls sideways by itself on a narrow screen (src/styles/global.css,
// `.prose > table`). A region that scrolls must be reachable from the keyboard (WCAG 2.1.1; axe's
// scrollable-region-focusable), and a table holds nothing focusable, so each one becomes a tab stop.
// Tables drawn by components (the dashboard's usage table) are not Markdown and keep their own
// focusable wrapper. A Sätteri hast plugin: Astro 7's Markdown processor.

/** @type {import('@astrojs/markdown-satteri').SatteriProcessorOptions['hastPlugins']} */
export const scrollableTables = [
  {
    name: 'leakproof-scrollable-tables',
    element: {
      filter: ['table'],
      visit(node, ctx) {
        ctx.setProperty(node, 'tabIndex', 0);
      },
    },
  },
];
