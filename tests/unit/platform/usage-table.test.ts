import { describe, expect, it } from 'vitest';
import { usageByKeyAndModel } from '../../../src/platform/usage-table.ts';
import type { LedgerEntry } from '../../../src/platform/types.ts';

const entry = (keyId: string, model: string, time: number, costUsd: number): LedgerEntry => ({
  seq: time, time, keyId, keyMasked: 'sk-****', projectId: 'p', model, endpoint: '/v1/chat/completions', inputTokens: 1, outputTokens: 1, costUsd, source: '127.0.0.1', stream: false, simulated: false,
});

describe('usageByKeyAndModel', () => {
  it('sums requests and cost per key and model, with first and last call, oldest first', () => {
    const rows = usageByKeyAndModel([entry('k1', 'gpt-4o-mini', 10, 0.1), entry('k1', 'gpt-4o', 30, 1), entry('k1', 'gpt-4o-mini', 20, 0.2), entry('k2', 'gpt-4o-mini', 5, 0.5), entry('k1', 'gpt-4o', 40, 2)]);
    expect(rows).toEqual([
      { keyId: 'k2', model: 'gpt-4o-mini', requests: 1, costUsd: 0.5, first: 5, last: 5 },
      { keyId: 'k1', model: 'gpt-4o-mini', requests: 2, costUsd: expect.closeTo(0.3, 10), first: 10, last: 20 },
      { keyId: 'k1', model: 'gpt-4o', requests: 2, costUsd: 3, first: 30, last: 40 },
    ]);
  });

  it('gives no rows for an empty ledger', () => {
    expect(usageByKeyAndModel([])).toEqual([]);
  });
});
