// Packages the mock OpenAI platform (src/platform/standalone.ts, pure node:http + zod) into one
// plain-JS file for WebContainer, where TypeScript and the repo's node_modules are not available:
// the WebContainer session fetches /_leakproof/platform.mjs, writes it into the container and
// starts it with `node`. Built with esbuild at `astro build` (and served by `astro dev`).
// Register in astro.config.mjs: `integrations: [..., leakproofPlatform()]`.
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const PLATFORM_PATH = '_leakproof/platform.mjs';

/** The platform as one ES module for Node 18+ (WebContainer's Node), zod included. */
export async function buildPlatformBundle() {
  const result = await build({
    entryPoints: [join(here, '../../platform/standalone.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    write: false,
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return result.outputFiles[0].contents;
}

export default function leakproofPlatform() {
  let code = null;
  const get = async () => (code ??= await buildPlatformBundle());
  return {
    name: 'leakproof-platform-bundle',
    hooks: {
      'astro:server:setup': ({ server }) => {
        server.middlewares.use(async (req, res, next) => {
          if (!(req.url ?? '').split('?')[0].endsWith(`/${PLATFORM_PATH}`)) return next();
          res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
          res.end(await get());
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const out = join(fileURLToPath(dir), PLATFORM_PATH);
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, await get());
        logger.info(`mock platform for WebContainer: ${PLATFORM_PATH}`);
      },
    },
  };
}
