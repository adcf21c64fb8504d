// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

// WebContainer needs cross-origin isolation; the same headers ship for static hosts (public/_headers, vercel.json).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Static output: scripts/serve.mjs serves it with the local engine; any static host can serve it too.
  output: 'static',
  outDir: process.env.LEAKPROOF_OUT_DIR || './dist',
  integrations: [mdx()],
  server: { host: '127.0.0.1', port: 4321, headers: isolationHeaders },
  devToolbar: { enabled: false },
});
