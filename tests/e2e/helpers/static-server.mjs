// A plain static host for a built course, as a static deploy serves it: the cross-origin isolation
// headers a host must send (see docs/hosted-engines.md) and nothing else — no local engine, no
// engine token in the pages. Used by the `hosted` Playwright project.
// Usage: node tests/e2e/helpers/static-server.mjs --port 4393 --dir /tmp/out
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sirv from 'sirv';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const port = Number(opt('port', 0));
const dir = resolve(opt('dir', 'dist'));
if (!existsSync(join(dir, 'index.html'))) {
  console.error(`No built site in ${dir}: build it first.`);
  process.exit(2);
}

const headers = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};
const statics = sirv(dir, {
  extensions: ['html'],
  setHeaders: (res) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  },
});
const server = createServer((req, res) =>
  statics(req, res, () => {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found');
  }),
);
server.listen(port, '127.0.0.1', () => console.log(`static (no engine) at http://localhost:${server.address().port}/`));
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => server.close(() => process.exit(0)));
