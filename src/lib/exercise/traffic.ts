// Steady traffic through a learner's server while something else happens (a key rotation): a few
// workers, each sending one request at a time at most every `intervalMs`, so the rate is steady and
// bounded whatever the server's speed. Every answer is counted; a network error counts as a failure.

export interface TrafficOptions {
  /** How to send (the engine's fetch: it can reach the servers the engine started). */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  url: string;
  /** Request to send; `body` may be a function of the request's number (1, 2, …). */
  method?: string;
  headers?: Record<string, string>;
  body?: string | ((n: number) => string);
  /** Requests in flight at most (default 6). */
  workers?: number;
  /** Each worker waits at least this long between the starts of its requests (default 15 ms). */
  intervalMs?: number;
  /** Is this answer a success? Default: status 200. */
  ok?: (status: number) => boolean;
}

export interface TrafficSample {
  n: number;
  start: number;
  end: number;
  /** HTTP status, or 0 when no answer came (connection refused, reset). */
  status: number;
}

export interface TrafficReport {
  sent: number;
  failed: number;
  /** Failed answers by status ("502": 4, "no answer": 1). */
  failures: Record<string, number>;
  samples: TrafficSample[];
}

export interface Traffic {
  /** Requests answered so far. */
  readonly done: number;
  /** Wait for the first `n` answers (or the first failure), e.g. to know traffic is flowing. */
  settled(n: number, timeoutMs: number): Promise<void>;
  stop(): Promise<TrafficReport>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function startTraffic(o: TrafficOptions): Traffic {
  const samples: TrafficSample[] = [];
  const ok = o.ok ?? ((s: number) => s === 200);
  const interval = o.intervalMs ?? 15;
  let running = true;
  let counter = 0;
  const worker = async () => {
    while (running) {
      const n = ++counter;
      const start = Date.now();
      let status = 0;
      try {
        const body = typeof o.body === 'function' ? o.body(n) : o.body;
        const res = await o.fetch(o.url, { method: o.method ?? 'POST', headers: o.headers, body });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
      } catch {
        status = 0;
      }
      samples.push({ n, start, end: Date.now(), status });
      const wait = start + interval - Date.now();
      if (wait > 0 && running) await sleep(wait);
    }
  };
  const workers = Array.from({ length: Math.max(1, o.workers ?? 6) }, worker);
  return {
    get done() {
      return samples.length;
    },
    async settled(n, timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (samples.length < n && Date.now() < until && !samples.some((s) => !ok(s.status))) await sleep(10);
    },
    async stop() {
      running = false;
      await Promise.all(workers);
      const failures: Record<string, number> = {};
      for (const s of samples) {
        if (ok(s.status)) continue;
        const label = s.status === 0 ? 'no answer' : String(s.status);
        failures[label] = (failures[label] ?? 0) + 1;
      }
      samples.sort((a, b) => a.n - b.n);
      return { sent: samples.length, failed: Object.values(failures).reduce((a, b) => a + b, 0), failures, samples };
    },
  };
}
