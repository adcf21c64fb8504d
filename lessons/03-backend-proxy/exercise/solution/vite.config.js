import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    // Source maps are fine now: the source they carry holds no key.
    sourcemap: true,
  },
  server: {
    // In development (`npm run dev`), send /api requests to the app's server (`npm start`).
    proxy: { '/api': 'http://127.0.0.1:8787' },
  },
});
