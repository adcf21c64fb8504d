// `npm run dev`: the local engine under `astro dev`. Adds the /__engine/ endpoints as Vite
// middleware and puts this start's token into every HTML page, as scripts/serve.mjs does for
// `npm start`. Vite's dev server already binds to 127.0.0.1 (astro.config.mjs `server.host`).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { createLocalEngineHandler } from './http-handler.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Buffers an HTML response and injects the token before it is sent. */
function injectIntoHtml(res: ServerResponse, inject: (html: string) => string): void {
  const { write, end, writeHead } = res;
  let html: boolean | null = null;
  const chunks: Buffer[] = [];
  const isHtml = () => (html ??= String(res.getHeader('content-type') ?? '').includes('text/html'));
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const headers = args.find((a, i) => i > 0 && a && typeof a === 'object') as Record<string, unknown> | undefined;
    if (headers) {
      for (const [k, v] of Object.entries(headers)) {
        if (k.toLowerCase() === 'content-type') html = String(v).includes('text/html');
      }
      if (html) for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-length') delete headers[k];
    }
    if (isHtml()) res.removeHeader('content-length');
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (!isHtml()) return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    return true;
  } as typeof res.write;
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (!isHtml()) return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    if (chunk && typeof chunk !== 'function') chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    const out = inject(Buffer.concat(chunks).toString('utf8'));
    if (!res.headersSent) res.removeHeader('content-length');
    return (end as (...a: unknown[]) => ServerResponse).call(this, out);
  } as typeof res.end;
}

export default function localEngine(): AstroIntegration {
  return {
    name: 'leakproof-local-engine',
    hooks: {
      'astro:server:setup': ({ server, logger }) => {
        const token = randomBytes(32).toString('base64url');
        const handler: ReturnType<typeof createLocalEngineHandler> = createLocalEngineHandler({ token, root, onSignIn: () => announce() });
        server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
          if (handler.handles(req)) return handler.handle(req, res);
          if ((req.headers.accept ?? '').includes('text/html')) injectIntoHtml(res, (h) => handler.injectToken(h, req));
          next();
        });
        server.httpServer?.once('close', () => void handler.close());
        logger.info('local engine: on (checks run on this machine)');
        // Only a browser that opened a one-time sign-in link may use the engine (http-handler.ts).
        const announce = () => {
          const addr = server.httpServer?.address();
          if (addr && typeof addr === 'object') logger.info(`local engine: sign in with this one-time link: ${handler.signInUrl(`http://localhost:${addr.port}`)}`);
        };
        if (server.httpServer?.listening) announce();
        else server.httpServer?.once('listening', announce);
      },
    },
  };
}
