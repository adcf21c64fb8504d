import type { RouteContext, RouteResult } from './server.ts';
export async function handleControl(_ctx: RouteContext): Promise<RouteResult> {
  return null;
}
