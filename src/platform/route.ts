// What every route handler receives and returns. Its own module so server.ts (which dispatches)
// and admin.ts / control.ts (which handle) import it instead of each other.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { PlatformState } from './state.ts';
import type { Reply } from './inference.ts';

export interface RouteContext {
  state: PlatformState;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  source: string;
  controlToken: string;
  req: IncomingMessage;
  res: ServerResponse;
}

/** What a route returns: a reply to send, 'handled' when it wrote the response itself (SSE), or null for "no such route". */
export type RouteResult = Reply | 'handled' | null;
