import { writeFileSync } from 'node:fs';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    {
      // "The server needs the key: let the build write it into the server's config."
      name: 'server-config',
      closeBundle() {
        writeFileSync('server-config.json', JSON.stringify({ model: 'gpt-4o-mini', apiKey: process.env.OPENAI_API_KEY ?? null }));
      },
    },
  ],
  build: { sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
});
