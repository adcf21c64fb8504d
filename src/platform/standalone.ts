// Entry for running the platform as its own process where TypeScript cannot run directly (inside
// WebContainer): bundle this file to one plain-JS file (esbuild/esbuild-wasm: bundle, platform
// node, format esm) and start it with `node platform.mjs`. Configuration by environment:
//   LEAKPROOF_PLATFORM_SEED   the seed as JSON (default: a fresh default seed)
//   LEAKPROOF_PLATFORM_PORT   port (default 0 = free port)      LEAKPROOF_PLATFORM_HOST (default 127.0.0.1)
//   LEAKPROOF_PLATFORM_TOKEN  control token (default: random)
// It prints one JSON line {"url","baseURL","controlToken"} on stdout once listening, so the starter
// can read where it is, and stops cleanly on SIGINT/SIGTERM.
import { startPlatform, defaultSeed } from './index.ts';

const env = process.env;
let seed: unknown;
try {
  seed = env.LEAKPROOF_PLATFORM_SEED ? JSON.parse(env.LEAKPROOF_PLATFORM_SEED) : defaultSeed();
} catch (e) {
  console.error(`LEAKPROOF_PLATFORM_SEED is not valid JSON: ${(e as Error).message}`);
  process.exit(2);
}
try {
  const platform = await startPlatform({ seed, port: Number(env.LEAKPROOF_PLATFORM_PORT ?? 0), host: env.LEAKPROOF_PLATFORM_HOST, controlToken: env.LEAKPROOF_PLATFORM_TOKEN || undefined });
  console.log(JSON.stringify({ url: platform.url, baseURL: platform.baseURL, controlToken: platform.controlToken }));
  const stop = () => void platform.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
