import { describe, expect, it } from 'vitest';
import { describeScopes, formatUsd, polylinePoints, usageSeries } from '../../../src/platform/usage-series.ts';
import type { LedgerEntry } from '../../../src/platform/types.ts';

const entry = (keyId: string, time: number, costUsd = 0.01): LedgerEntry => ({
  seq: 0, time, keyId, keyMasked: '', projectId: 'p', model: 'gpt-4o-mini', endpoint: '/v1/chat/completions', inputTokens: 1, outputTokens: 1, costUsd, source: '127.0.0.1', stream: false, simulated: false,
});

describe('usageSeries', () => {
  const now = 10 * 60_000 + 30_000; // inside the 11th minute
  it('buckets calls per key over the last N buckets, ending with the current one', () => {
    const s = usageSeries([entry('a', now), entry('a', now - 1000), entry('b', now - 60_000), entry('a', now - 3 * 60_000), entry('a', 0)], { now, bucketMs: 60_000, buckets: 3, metric: 'requests' });
    expect(s.start).toBe(8 * 60_000);
    expect(s.series).toEqual([
      { keyId: 'a', label: 'a', values: [0, 0, 2], total: 2 },
      { keyId: 'b', label: 'b', values: [0, 1, 0], total: 1 },
    ]);
    expect(s.max).toBe(2);
  });

  it('sums cost and uses labels', () => {
    const s = usageSeries([entry('a', now, 0.5), entry('a', now, 0.25)], { now, bucketMs: 60_000, buckets: 2, metric: 'cost', labels: { a: 'planted' } });
    expect(s.series[0]).toMatchObject({ label: 'planted', values: [0, 0.75], total: 0.75 });
  });

  it('is empty without calls in range', () => {
    expect(usageSeries([entry('a', 0)], { now, bucketMs: 60_000, buckets: 2, metric: 'cost' }).series).toEqual([]);
  });
});

describe('chart and wording helpers', () => {
  it('maps values to SVG points with 0 at the bottom', () => {
    expect(polylinePoints([0, 5, 10], 100, 50, 10)).toBe('0,50 50,25 100,0');
    expect(polylinePoints([3], 100, 50, 3)).toBe('0,0');
    expect(polylinePoints([], 100, 50, 1)).toBe('');
  });
  it('formats small and large amounts', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.00042)).toBe('$0.00042');
    expect(formatUsd(12.3)).toBe('$12.30');
  });
  it('words permissions like the dashboard', () => {
    expect(describeScopes([])).toBe('All');
    expect(describeScopes(['api.all.read'])).toBe('Read only');
    expect(describeScopes(['model.request'])).toBe('Restricted: model.request');
  });
});
