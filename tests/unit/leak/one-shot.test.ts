// withoutOptimizingCompiler (src/node/one-shot.ts) only changes how fast V8 runs the code it wraps:
// the result, the errors and the code that runs afterwards must be the same as without it.
import { describe, expect, it } from 'vitest';
import { withoutOptimizingCompiler } from '../../../src/node/one-shot.ts';
import { prepareKey } from '../../../src/lib/leak/forms/scan.ts';
import { findKeyInBytes } from '../../../src/lib/leak/detect-key.ts';

const KEY = 'sk-proj-' + 'Qw7_eR-tY9uI0oP3aS5dF6gH8jK1lZ2xC4vB'.repeat(4);

describe('withoutOptimizingCompiler', () => {
  it('returns what the code returns and builds the same tables', () => {
    const pk = withoutOptimizingCompiler(() => prepareKey(KEY + 'a'));
    expect(pk.key).toBe(KEY + 'a');
    expect(pk.index.candValue.length).toBeGreaterThan(1000);
  });

  it('passes errors through', () => {
    expect(() => withoutOptimizingCompiler(() => prepareKey('sk-short'))).toThrow(/only 8 characters/);
    expect(() => withoutOptimizingCompiler(() => { throw new RangeError('boom'); })).toThrow(RangeError);
  });

  it('the scan afterwards still finds the key (and nothing in text without it)', async () => {
    withoutOptimizingCompiler(() => prepareKey(KEY));
    const text = 'x'.repeat(100_000) + `const k = "${KEY}";` + 'y'.repeat(100_000);
    const found = await findKeyInBytes(KEY, new TextEncoder().encode(text), { file: 'a.js', target: 'bundle' });
    expect(found.map((f) => f.form)).toEqual(['plain']);
    expect(await findKeyInBytes(KEY, new TextEncoder().encode('z'.repeat(200_000)), { file: 'b.js', target: 'bundle' })).toEqual([]);
  });
});
