import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    // Source maps help debugging in production. They also carry the original source.
    sourcemap: true,
  },
});
