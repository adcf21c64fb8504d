// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
// Markdown tables scroll by themselves on a phone, so each is a keyboard tab stop.
import { scrollableTables } from './src/lib/markdown/scrollable-tables.mjs';
// The exercise editor (Monaco) is bundled apart from Vite so its CSS never reaches a page head early.
import leakproofEditor from './src/components/workspace/build/editor-bundle.mjs';
// `npm run dev`: the local engine's endpoints and page token under `astro dev` (scripts/serve.mjs does it for `npm start`).
import localEngine from './src/engines/local/astro-integration.ts';
// The mock OpenAI platform packaged as one file for WebContainer (/_leakproof/platform.mjs).
import leakproofPlatform from './src/engines/webcontainer/platform-bundle.mjs';

// WebContainer needs cross-origin isolation; the same headers ship for static hosts (public/_headers,
// vercel.json) and scripts/serve.mjs sends them too. Keep the four places in sync.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // No other site may frame the course (clickjacking of Check and Reset).
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
};

const outDir = process.env.LEAKPROOF_OUT_DIR || './dist';

export default defineConfig({
  // Static output: scripts/serve.mjs serves it with the local engine; any static host can serve it too.
  output: 'static',
  outDir,
  // Builds of different courses (LEAKPROOF_LESSONS_DIR) into different out dirs must not share
  // Astro's content cache, or one build could show the other's chapters.
  cacheDir: process.env.LEAKPROOF_OUT_DIR ? `${outDir.replace(/\/+$/, '')}.astro-cache` : './node_modules/.astro',
  integrations: [mdx(), leakproofEditor(), localEngine(), leakproofPlatform()],
  // Code blocks: Astro's default (github-dark) draws comments at 3.0:1 contrast, below WCAG AA;
  // github-dark-default keeps every token at 4.5:1 or more on its background.
  markdown: { shikiConfig: { theme: 'github-dark-default' }, processor: satteri({ hastPlugins: scrollableTables }) },
  server: { host: '127.0.0.1', port: 4321, headers: isolationHeaders },
  devToolbar: { enabled: false },
  vite: {
    // Whether this build is of a test course (tests/fixtures/…): only then does
    // src/engines/definitions.ts include the fixture chapters' checks in the build.
    define: { __LEAKPROOF_FIXTURE_COURSE__: JSON.stringify((process.env.LEAKPROOF_LESSONS_DIR ?? 'lessons').replace(/^\.\//, '').startsWith('tests/')) },
  },
});
