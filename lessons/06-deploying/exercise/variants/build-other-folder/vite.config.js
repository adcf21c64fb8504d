import { defineConfig } from 'vite';

export default defineConfig({
  // The page authenticates to our own server with the key, put in at build time from a name
  // without VITE_ (so "it is not a public variable").
  define: { __OPENAI_API_KEY__: JSON.stringify(process.env.OPENAI_API_KEY ?? '') },
  build: { outDir: 'build', sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
});
