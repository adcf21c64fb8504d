// Pure helpers behind the dashboard panel: usage over time per key, chart geometry, wording.
import type { LedgerEntry } from './types.ts';

export interface UsageSeries {
  /** Start of the first bucket (epoch ms). */
  start: number;
  bucketMs: number;
  series: Array<{ keyId: string; label: string; values: number[]; total: number }>;
  /** Largest single bucket value (the chart's top), at least 1e-9 so the scale is never 0. */
  max: number;
}

/**
 * Bucket ledger entries per key: the last `buckets` buckets of `bucketMs` ending at `now`.
 * `metric` is the number of requests or their cost in USD. Keys with no calls in range are left out.
 */
export function usageSeries(
  entries: readonly LedgerEntry[],
  options: { now: number; bucketMs: number; buckets: number; metric: 'requests' | 'cost'; labels?: Record<string, string> },
): UsageSeries {
  const { now, bucketMs, buckets, metric } = options;
  const end = Math.floor(now / bucketMs) * bucketMs + bucketMs;
  const start = end - buckets * bucketMs;
  const byKey = new Map<string, number[]>();
  for (const e of entries) {
    if (e.time < start || e.time >= end) continue;
    let values = byKey.get(e.keyId);
    if (!values) {
      values = new Array<number>(buckets).fill(0);
      byKey.set(e.keyId, values);
    }
    values[Math.floor((e.time - start) / bucketMs)]! += metric === 'requests' ? 1 : e.costUsd;
  }
  let max = 1e-9;
  const series = [...byKey].map(([keyId, values]) => {
    for (const v of values) max = Math.max(max, v);
    return { keyId, label: options.labels?.[keyId] ?? keyId, values, total: values.reduce((a, b) => a + b, 0) };
  });
  series.sort((a, b) => b.total - a.total);
  return { start, bucketMs, series, max };
}

/** SVG polyline points for values on a width × height box (0 at the bottom). */
export function polylinePoints(values: readonly number[], width: number, height: number, max: number): string {
  if (values.length === 0) return '';
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((v, i) => `${round(i * step)},${round(height - (Math.min(v, max) / max) * height)}`).join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Money with enough digits to see small spend: $0.0004, $0.42, $12.30. */
export function formatUsd(n: number): string {
  if (n === 0) return '$0.00';
  if (Math.abs(n) < 0.01) return `$${n.toPrecision(2).replace(/0+$/, '')}`;
  return `$${n.toFixed(2)}`;
}

/** How the dashboard words a key's permissions. */
export function describeScopes(scopes: readonly string[]): string {
  if (scopes.length === 0) return 'All';
  if (scopes.length === 1 && scopes[0] === 'api.all.read') return 'Read only';
  return `Restricted: ${scopes.join(', ')}`;
}
