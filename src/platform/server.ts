// The HTTP server: routes /v1 (inference and the Admin API subset) and /__platform (course
// controls). One node:http server, no framework.
import { createServer, type ServerResponse } from 'node:http';
import type { PlatformState } from './state.ts';
import { chatCompletions, errorReply, listModels, responses, retrieveModel, type Reply } from './inference.ts';
import { BodyTooLarge, corsHeaders, readBody, sendJson, sendSse, sourceAddress } from './http.ts';
import { handleAdmin } from './admin.ts';
import { handleControl } from './control.ts';
import { randomString } from './keys.ts';
import type { RouteContext, RouteResult } from './route.ts';

function notFound(method: string, path: string): Reply {
  return errorReply(404, { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: null });
}

function routeV1(ctx: RouteContext): RouteResult {
  const input = { authorization: ctx.headers.authorization, body: ctx.body, source: ctx.source };
  const { method, path } = ctx;
  if (path === '/v1/chat/completions' && method === 'POST') return chatCompletions(ctx.state, input);
  if (path === '/v1/responses' && method === 'POST') return responses(ctx.state, input);
  if (path === '/v1/models' && method === 'GET') return listModels(ctx.state, input);
  const model = /^\/v1\/models\/([^/]+)$/.exec(path);
  if (model && method === 'GET') return retrieveModel(ctx.state, input, decodeURIComponent(model[1]!));
  if (path.startsWith('/v1/organization/')) return handleAdmin(ctx);
  return null;
}

function send(res: ServerResponse, reply: Reply, extra: Record<string, string>): void {
  if ('sse' in reply) sendSse(res, reply.status, reply.sse, { ...extra, ...reply.headers });
  else sendJson(res, reply.status, reply.json, { ...extra, ...reply.headers });
}

export function createPlatformServer(state: PlatformState, controlToken: string) {
  return createServer(async (req, res) => {
    // Every reply carries a request id, as OpenAI's do (the SDK exposes it as `_request_id`).
    const cors = { ...corsHeaders(req), 'x-request-id': `req_${randomString(32, 'abcdef0123456789')}` };
    try {
      const url = new URL(req.url ?? '/', 'http://platform.invalid');
      const method = (req.method ?? 'GET').toUpperCase();
      if (method === 'OPTIONS') {
        res.writeHead(204, cors);
        res.end();
        return;
      }
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
      const ctx: RouteContext = { state, method, path: url.pathname.replace(/\/+$/, '') || '/', query: url.searchParams, headers: req.headers, body, source: sourceAddress(req), controlToken, req, res };
      let result: RouteResult = null;
      if (ctx.path.startsWith('/v1/')) result = routeV1(ctx);
      else if (ctx.path === '/__platform' || ctx.path.startsWith('/__platform/')) {
        // The course controls are the dashboard: their changes are the signed-in user's, in the audit log.
        result = await state.withActor({ type: 'session', ipAddress: ctx.source }, () => handleControl(ctx));
      }
      else if (ctx.path === '/') result = { status: 200, headers: {}, json: { object: 'leakproof.platform', baseURL: '/v1', message: 'Leakproof mock OpenAI platform. Point OPENAI_BASE_URL at /v1.' } };
      if (result === 'handled') return;
      send(res, result ?? notFound(method, ctx.path), cors);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // decodeURIComponent of a path such as /v1/models/%: the caller's mistake, not ours.
      if (err instanceof URIError) {
        sendJson(res, 400, { error: { message: 'The URL has a malformed percent-encoding (a % must be followed by two hex digits).', type: 'invalid_request_error', param: null, code: null } }, cors);
        return;
      }
      if (err instanceof BodyTooLarge) {
        sendJson(res, 413, { error: { message: 'Request body too large (limit 4 MB).', type: 'invalid_request_error', param: null, code: null } }, cors);
        return;
      }
      sendJson(res, 500, { error: { message: `The mock platform failed on this request: ${(err as Error).message}`, type: 'server_error', param: null, code: null } }, cors);
    }
  });
}
