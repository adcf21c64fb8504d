// The mock OpenAI platform: start one, get its URLs, its control token and its in-memory state.
//
//   const p = await startPlatform({ seed: { projects: [{ id: 'proj_course', name: 'Course' }],
//     keys: [{ value: PLANTED, projectId: 'proj_course', kind: 'project' }] } });
//   // child env: OPENAI_BASE_URL=p.baseURL ; course controls: p.url + '/__platform/…' with
//   // `Authorization: Bearer ${p.controlToken}` ; await p.close();
import type { AddressInfo } from 'node:net';
import { PlatformState } from './state.ts';
import { createPlatformServer } from './server.ts';
import { parseSeed, type Seed } from './seed.ts';
import { generateKey, randomString } from './keys.ts';
import { replayTraffic } from './traffic.ts';

export { parseSeed, PlatformState };
export type { Seed, SeedKey, SeedProject, SeedRateLimit, SeedTraffic } from './seed.ts';
export type * from './types.ts';
export { maskKey, generateKey } from './keys.ts';
export { MODELS, findModel } from './models.ts';

export interface PlatformOptions {
  /** A Seed; checked with parseSeed at start (so a JSON value of unknown shape is accepted and validated). */
  seed?: Seed | unknown;
  /** 0 = a free port (default). */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default: a fresh random token. */
  controlToken?: string;
  /** Base clock in epoch ms (default Date.now); the course clock control adds an offset to it. */
  clock?: () => number;
}

export interface PlatformHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + '/v1': what OPENAI_BASE_URL should be. */
  baseURL: string;
  controlToken: string;
  state: PlatformState;
  close(): Promise<void>;
}

/** Used when no seed is given: one project, one project key and one admin key, all fresh. */
export function defaultSeed(): Seed {
  return {
    projects: [{ id: 'proj_default', name: 'Default project' }],
    keys: [
      { value: generateKey('project'), kind: 'project', projectId: 'proj_default', name: 'Default project key' },
      { value: generateKey('admin'), kind: 'admin', name: 'Admin key' },
    ],
  };
}

export async function startPlatform(options: PlatformOptions = {}): Promise<PlatformHandle> {
  const seed = parseSeed(options.seed ?? defaultSeed());
  const state = new PlatformState(seed, options.clock ?? Date.now);
  if (seed.traffic) replayTraffic(state, seed.traffic);
  const controlToken = options.controlToken ?? `lpc_${randomString(43)}`;
  const host = options.host ?? '127.0.0.1';
  const server = createPlatformServer(state, controlToken);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    url,
    baseURL: `${url}/v1`,
    controlToken,
    state,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets and open event streams would otherwise hold close() open.
        server.closeAllConnections?.();
      });
      return closing;
    },
  };
}
