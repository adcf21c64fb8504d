// Server-sent events read with fetch instead of EventSource: fetch can send an Authorization
// header, so neither the facilitator secret nor a learner token ever goes into a URL (URLs end up
// in logs, history and Referer headers). Used by the facilitator page, the course page and the
// benchmark.

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/** Splits a text/event-stream body into messages (comments and retry lines ignored). */
export async function* readSse(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      if (signal?.aborted) return;
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const msg: SseMessage = { event: 'message', data: '' };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (!line || line.startsWith(':')) continue;
          const i = line.indexOf(':');
          const field = i < 0 ? line : line.slice(0, i);
          const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
          if (field === 'event') msg.event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id') msg.id = value;
        }
        if (!data.length) continue;
        msg.data = data.join('\n');
        yield msg;
      }
    }
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}

/**
 * Keeps a stream open: connects, hands every message to `onMessage`, and after a drop waits
 * (1 s, doubling to 15 s) and connects again with the URL `url()` gives then (so it can carry
 * `after=<last id>`). A 401/403/404 stops for good: the secret or token is not valid.
 */
export function followSse(options: {
  url: () => string;
  headers: Record<string, string>;
  onMessage: (m: SseMessage) => void;
  onState?: (state: 'open' | 'retrying' | 'refused', detail?: string) => void;
  fetch?: typeof fetch;
}): { close(): void } {
  const ac = new AbortController();
  const doFetch = options.fetch ?? fetch;
  let delay = 1000;
  void (async () => {
    while (!ac.signal.aborted) {
      try {
        const res = await doFetch(options.url(), { headers: { accept: 'text/event-stream', ...options.headers }, signal: ac.signal, cache: 'no-store' });
        if (res.status === 401 || res.status === 403 || res.status === 404) {
          const body = (await res.json().catch(() => ({}))) as { error?: string };
          options.onState?.('refused', body.error ?? `HTTP ${res.status}`);
          return;
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        options.onState?.('open');
        delay = 1000;
        for await (const m of readSse(res.body, ac.signal)) options.onMessage(m);
      } catch (e) {
        if (ac.signal.aborted) return;
        options.onState?.('retrying', (e as Error).message);
      }
      if (ac.signal.aborted) return;
      options.onState?.('retrying');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15_000);
    }
  })();
  return { close: () => ac.abort() };
}
