// The facilitator page: one HTML file, a stylesheet and a script bundled with esbuild the first
// time it is asked for (the service runs from TypeScript sources; the browser needs JavaScript).
// Strict CSP: scripts and styles from this service only, requests to this service only.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const here = import.meta.dirname;
const SECURITY = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

let script: Promise<string> | null = null;

async function bundle(): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [join(here, 'facilitator-page.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export async function facilitatorAsset(path: string, opts: { courseUrl: string }): Promise<{ headers: Record<string, string>; body: string } | null> {
  if (path === '/facilitator') {
    const html = (await readFile(join(here, 'facilitator.html'), 'utf8')).replace('{{COURSE_URL}}', escapeAttr(opts.courseUrl));
    return { headers: { ...SECURITY, 'content-type': 'text/html; charset=utf-8' }, body: html };
  }
  if (path === '/facilitator.css') return { headers: { ...SECURITY, 'content-type': 'text/css; charset=utf-8' }, body: await readFile(join(here, 'facilitator.css'), 'utf8') };
  if (path === '/facilitator.js') {
    script ??= bundle().catch((e) => {
      script = null;
      throw e;
    });
    return { headers: { ...SECURITY, 'content-type': 'text/javascript; charset=utf-8' }, body: await script };
  }
  return null;
}

/** Bundles the page script ahead of the first visit (the CLI calls it at start). */
export function warmFacilitatorPage(): Promise<unknown> {
  return facilitatorAsset('/facilitator.js', { courseUrl: '' });
}
