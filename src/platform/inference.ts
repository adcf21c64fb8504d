// The inference endpoints as pure functions from a request to a planned reply (JSON or SSE
// frames), so the HTTP server and the course simulations share one path through auth, limits
// and the ledger. Replies are deterministic: an echo of the last user message, no model.
import { MODELS, findModel } from './models.ts';
import { contentText, countChatPromptTokens, countTokens, splitForStream } from './tokens.ts';
import { randomString } from './keys.ts';
import type { PlatformState, OpenAIErrorBody } from './state.ts';
import type { Endpoint } from './types.ts';

export interface CallInput {
  authorization: string | undefined;
  /** Parsed JSON body, or a string when it was not valid JSON (GET: undefined). */
  body: unknown;
  source: string;
  simulated?: boolean;
}

export type Reply =
  | { status: number; headers: Record<string, string>; json: unknown }
  | { status: number; headers: Record<string, string>; sse: string[] };

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const FINGERPRINT = 'fp_leakproof';

export function errorReply(status: number, error: OpenAIErrorBody, headers: Record<string, string> = {}): Reply {
  return { status, headers, json: { error } };
}

function badRequest(state: PlatformState, input: CallInput, endpoint: Endpoint, error: OpenAIErrorBody, model: string | null): Reply {
  state.recordBadRequest({ endpoint, status: 400, code: error.code, reason: 'bad_request', key: null, model, source: input.source });
  return errorReply(400, error);
}

const INVALID_JSON: OpenAIErrorBody = {
  message:
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
  type: 'invalid_request_error',
  param: null,
  code: null,
};

function missingParam(name: string): OpenAIErrorBody {
  return { message: `Missing required parameter: '${name}'.`, type: 'invalid_request_error', param: name, code: 'missing_required_parameter' };
}

/** The deterministic reply text: an echo, so a learner can see their prompt went through. */
export function replyText(model: string, prompt: string): string {
  const p = prompt.trim().replace(/\s+/g, ' ');
  return p ? `(mock ${model}) You said: ${p}` : `(mock ${model}) Hello! This is the Leakproof mock platform.`;
}

/** Cut a reply to at most `maxTokens` approximate tokens (4 characters each). */
function limitTokens(text: string, maxTokens: unknown): { text: string; truncated: boolean } {
  if (typeof maxTokens !== 'number' || !Number.isFinite(maxTokens) || maxTokens < 1) return { text, truncated: false };
  const maxChars = Math.floor(maxTokens) * 4;
  return text.length > maxChars ? { text: text.slice(0, maxChars), truncated: true } : { text, truncated: false };
}

function sseData(obj: unknown): string {
  return `data: ${JSON.stringify(obj)}\n\n`;
}

function sseEvent(type: string, obj: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(obj)}\n\n`;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

// ---- /v1/chat/completions ------------------------------------------------------------------------

export function chatCompletions(state: PlatformState, input: CallInput): Reply {
  const endpoint: Endpoint = '/v1/chat/completions';
  // Authentication comes before body validation, as on the real API.
  const pre = state.admit({ authorization: input.authorization, endpoint, model: null, tokens: 0, scope: 'model.request', source: input.source, simulated: input.simulated });
  if (!pre.ok) return errorReply(pre.status, pre.error, pre.headers);
  if (typeof input.body === 'string') return badRequest(state, input, endpoint, INVALID_JSON, null);
  const body = (input.body ?? {}) as Record<string, unknown>;
  if (typeof body.model !== 'string' || !body.model) {
    return badRequest(state, input, endpoint, { message: 'you must provide a model parameter', type: 'invalid_request_error', param: null, code: null }, null);
  }
  if (!Array.isArray(body.messages)) return badRequest(state, input, endpoint, missingParam('messages'), body.model);
  const notObject = body.messages.findIndex((m) => !m || typeof m !== 'object' || Array.isArray(m));
  if (notObject >= 0) {
    return badRequest(state, input, endpoint, { message: `Invalid type for 'messages[${notObject}]': expected an object, but got ${body.messages[notObject] === null ? 'null' : typeof body.messages[notObject]} instead.`, type: 'invalid_request_error', param: `messages[${notObject}]`, code: 'invalid_type' }, body.model);
  }
  const messages = body.messages as Array<{ role?: unknown; content?: unknown }>;
  const lastUser = [...messages].reverse().find((msg) => msg && msg.role === 'user');
  const { text, truncated } = limitTokens(replyText(body.model, contentText(lastUser?.content)), body.max_completion_tokens ?? body.max_tokens);
  const inputTokens = countChatPromptTokens(messages);
  const outputTokens = countTokens(text);

  const gate = state.admit({ authorization: input.authorization, endpoint, model: body.model, tokens: inputTokens + outputTokens, scope: 'model.request', source: input.source, simulated: input.simulated });
  if (!gate.ok) return errorReply(gate.status, gate.error, gate.headers);
  const stream = body.stream === true;
  state.record({ key: gate.key, project: gate.project, model: gate.model!, endpoint, requestedModel: body.model, inputTokens, outputTokens, source: input.source, stream, simulated: input.simulated });

  const id = `chatcmpl-${randomString(29, ID_CHARS)}`;
  const created = Math.floor(state.now() / 1000);
  const finish = truncated ? 'length' : 'stop';
  const usage = {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  const headers = { ...gate.rate, 'openai-organization': 'org-leakproof', 'openai-project': gate.project.id, 'openai-processing-ms': '1' } as Record<string, string>;
  if (!stream) {
    return {
      status: 200,
      headers,
      json: {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: finish }],
        usage,
        service_tier: 'default',
        system_fingerprint: FINGERPRINT,
      },
    };
  }
  const base = { id, object: 'chat.completion.chunk', created, model: body.model, service_tier: 'default', system_fingerprint: FINGERPRINT };
  const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const frames = [sseData({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], ...(includeUsage ? { usage: null } : {}) })];
  for (const piece of splitForStream(text)) {
    frames.push(sseData({ ...base, choices: [{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }], ...(includeUsage ? { usage: null } : {}) }));
  }
  frames.push(sseData({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finish }], ...(includeUsage ? { usage: null } : {}) }));
  if (includeUsage) frames.push(sseData({ ...base, choices: [], usage }));
  frames.push('data: [DONE]\n\n');
  return { status: 200, headers: { ...headers, ...SSE_HEADERS }, sse: frames };
}

// ---- /v1/responses -------------------------------------------------------------------------------

/** The text of a Responses `input`: a string, or the last user message of an item list. */
function responsesPrompt(input: unknown): string {
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) {
    const users = input.filter((item) => item && typeof item === 'object' && (item as { role?: unknown }).role === 'user');
    const last = users[users.length - 1] as { content?: unknown } | undefined;
    return contentText(last?.content);
  }
  return '';
}

function responsesInputTokens(body: Record<string, unknown>): number {
  let chars = typeof body.instructions === 'string' ? body.instructions.length : 0;
  if (typeof body.input === 'string') chars += body.input.length;
  else if (Array.isArray(body.input)) for (const item of body.input) chars += contentText((item as { content?: unknown })?.content).length;
  return Math.ceil(chars / 4) + 3 * (Array.isArray(body.input) ? body.input.length : 1);
}

export function responses(state: PlatformState, input: CallInput): Reply {
  const endpoint: Endpoint = '/v1/responses';
  const pre = state.admit({ authorization: input.authorization, endpoint, model: null, tokens: 0, scope: 'model.request', source: input.source, simulated: input.simulated });
  if (!pre.ok) return errorReply(pre.status, pre.error, pre.headers);
  if (typeof input.body === 'string') return badRequest(state, input, endpoint, INVALID_JSON, null);
  const body = (input.body ?? {}) as Record<string, unknown>;
  if (typeof body.model !== 'string' || !body.model) return badRequest(state, input, endpoint, missingParam('model'), null);
  if (body.input === undefined) return badRequest(state, input, endpoint, missingParam('input'), body.model);
  const { text, truncated } = limitTokens(replyText(body.model, responsesPrompt(body.input)), body.max_output_tokens);
  const inputTokens = responsesInputTokens(body);
  const outputTokens = countTokens(text);
  const gate = state.admit({ authorization: input.authorization, endpoint, model: body.model, tokens: inputTokens + outputTokens, scope: 'model.request', source: input.source, simulated: input.simulated });
  if (!gate.ok) return errorReply(gate.status, gate.error, gate.headers);
  const stream = body.stream === true;
  state.record({ key: gate.key, project: gate.project, model: gate.model!, endpoint, requestedModel: body.model, inputTokens, outputTokens, source: input.source, stream, simulated: input.simulated });

  const created = Math.floor(state.now() / 1000);
  const respId = `resp_${randomString(48, ID_CHARS)}`;
  const msgId = `msg_${randomString(48, ID_CHARS)}`;
  const usage = { input_tokens: inputTokens, input_tokens_details: { cached_tokens: 0 }, output_tokens: outputTokens, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: inputTokens + outputTokens };
  const part = { type: 'output_text', text, annotations: [], logprobs: [] };
  const message = { id: msgId, type: 'message', status: 'completed', role: 'assistant', content: [part] };
  const response = (status: string, output: unknown[], withUsage: boolean) => ({
    id: respId,
    object: 'response',
    created_at: created,
    status,
    background: false,
    error: null,
    incomplete_details: truncated && status !== 'in_progress' ? { reason: 'max_output_tokens' } : null,
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    max_output_tokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : null,
    model: body.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: typeof body.previous_response_id === 'string' ? body.previous_response_id : null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: body.store !== false,
    temperature: typeof body.temperature === 'number' ? body.temperature : 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: typeof body.top_p === 'number' ? body.top_p : 1,
    truncation: 'disabled',
    usage: withUsage ? usage : null,
    user: null,
    metadata: (body.metadata as object | undefined) ?? {},
  });
  const finalStatus = truncated ? 'incomplete' : 'completed';
  const headers = { ...gate.rate, 'openai-organization': 'org-leakproof', 'openai-project': gate.project.id, 'openai-processing-ms': '1' } as Record<string, string>;
  if (!stream) return { status: 200, headers, json: response(finalStatus, [message], true) };

  let n = 0;
  const ev = (type: string, payload: Record<string, unknown>) => sseEvent(type, { type, sequence_number: n++, ...payload });
  const frames = [
    ev('response.created', { response: response('in_progress', [], false) }),
    ev('response.in_progress', { response: response('in_progress', [], false) }),
    ev('response.output_item.added', { output_index: 0, item: { id: msgId, type: 'message', status: 'in_progress', role: 'assistant', content: [] } }),
    ev('response.content_part.added', { item_id: msgId, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } }),
  ];
  for (const piece of splitForStream(text)) {
    frames.push(ev('response.output_text.delta', { item_id: msgId, output_index: 0, content_index: 0, delta: piece, logprobs: [] }));
  }
  frames.push(
    ev('response.output_text.done', { item_id: msgId, output_index: 0, content_index: 0, text, logprobs: [] }),
    ev('response.content_part.done', { item_id: msgId, output_index: 0, content_index: 0, part }),
    ev('response.output_item.done', { output_index: 0, item: message }),
    ev(truncated ? 'response.incomplete' : 'response.completed', { response: response(finalStatus, [message], true) }),
  );
  return { status: 200, headers: { ...headers, ...SSE_HEADERS }, sse: frames };
}

// ---- /v1/models ----------------------------------------------------------------------------------

function modelObject(m: { id: string; created: number; ownedBy: string }) {
  return { id: m.id, object: 'model', created: m.created, owned_by: m.ownedBy };
}

export function listModels(state: PlatformState, input: CallInput): Reply {
  const gate = state.admit({ authorization: input.authorization, endpoint: '/v1/models', model: null, tokens: 0, scope: 'api.model.read', source: input.source, simulated: input.simulated });
  if (!gate.ok) return errorReply(gate.status, gate.error, gate.headers);
  return { status: 200, headers: {}, json: { object: 'list', data: MODELS.map(modelObject) } };
}

export function retrieveModel(state: PlatformState, input: CallInput, id: string): Reply {
  const gate = state.admit({ authorization: input.authorization, endpoint: '/v1/models', model: null, tokens: 0, scope: 'api.model.read', source: input.source, simulated: input.simulated });
  if (!gate.ok) return errorReply(gate.status, gate.error, gate.headers);
  const m = findModel(id);
  if (!m) return errorReply(404, { message: `The model '${id}' does not exist`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' });
  return { status: 200, headers: {}, json: modelObject({ ...m, id }) };
}
