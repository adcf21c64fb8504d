import type { RouteContext, RouteResult } from './server.ts';
export function handleAdmin(_ctx: RouteContext): RouteResult {
  return null;
}
