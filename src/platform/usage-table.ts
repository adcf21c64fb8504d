// The dashboard's "usage by key and model" table: one row per key and model over the whole ledger,
// with when its calls started and stopped. How a leak shows up: a model the app never calls, on the
// app's key, starting in the middle of the night. Pure (the panel runs it in the browser).
import type { LedgerEntry } from './types.ts';

export interface UsageRow {
  keyId: string;
  model: string;
  requests: number;
  costUsd: number;
  first: number;
  last: number;
}

export function usageByKeyAndModel(ledger: readonly LedgerEntry[]): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const e of ledger) {
    const id = `${e.keyId}\u0000${e.model}`;
    const row = rows.get(id);
    if (!row) rows.set(id, { keyId: e.keyId, model: e.model, requests: 1, costUsd: e.costUsd, first: e.time, last: e.time });
    else {
      row.requests++;
      row.costUsd += e.costUsd;
      row.first = Math.min(row.first, e.time);
      row.last = Math.max(row.last, e.time);
    }
  }
  return [...rows.values()].sort((a, b) => a.first - b.first);
}
