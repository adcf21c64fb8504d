import OpenAI from 'openai';
import { startPlatform, generateKey, type PlatformHandle, type PlatformOptions } from '../../../src/platform/index.ts';

export const PROJECT = 'proj_course';

export interface Fixture {
  platform: PlatformHandle;
  key: string;
  admin: string;
  client(apiKey?: string, opts?: { maxRetries?: number }): OpenAI;
  adminClient(adminKey?: string): OpenAI;
  control(path: string, init?: { method?: string; body?: unknown; token?: string | null }): Promise<{ status: number; json: any }>;
}

/** A platform with the course project, one planted project key and one admin key. */
export async function startFixture(extra: { seed?: Record<string, unknown>; options?: PlatformOptions } = {}): Promise<Fixture> {
  const key = generateKey('project');
  const admin = generateKey('admin');
  const seed = extra.seed ?? {
    projects: [{ id: PROJECT, name: 'Course' }],
    keys: [
      { value: key, projectId: PROJECT, kind: 'project', name: 'planted key' },
      { value: admin, kind: 'admin' },
    ],
  };
  const platform = await startPlatform({ seed, ...extra.options });
  return {
    platform,
    key,
    admin,
    client: (apiKey = key, opts = {}) => new OpenAI({ apiKey, baseURL: platform.baseURL, maxRetries: opts.maxRetries }),
    adminClient: (adminKey = admin) => new OpenAI({ adminAPIKey: adminKey, baseURL: platform.baseURL }),
    async control(path, init = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const token = init.token === undefined ? platform.controlToken : init.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`${platform.url}/__platform/${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: res.status, json: await res.json() };
    },
  };
}

/** Runs `fn` and returns what it threw (fails the test when nothing was thrown). */
export async function caught(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
