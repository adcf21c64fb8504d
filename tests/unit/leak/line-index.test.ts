// LineIndex gives the line and column a naive count gives, for offsets asked in any order (hits,
// then fragments and containers placed before them), on one-line and many-line texts.
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../../src/lib/leak/detect-key.ts';

function naive(bytes: Uint8Array, offset: number): [number, number] {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) ((line++), (start = i + 1));
  return [line, offset - start + 1];
}

let seed = 7;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

describe('LineIndex', () => {
  for (const [name, text] of [
    ['one line', 'x'.repeat(5000)],
    ['many lines', Array.from({ length: 400 }, (_, i) => 'y'.repeat(i % 17)).join('\n')],
    ['newlines only', '\n'.repeat(300)],
    ['trailing newline', 'abc\ndef\n'],
  ] as const) {
    it(`matches a naive count for offsets in random order: ${name}`, () => {
      const bytes = new TextEncoder().encode(text);
      const li = new LineIndex(bytes);
      for (let k = 0; k < 300; k++) {
        const off = k % 7 === 0 ? bytes.length : Math.floor(rand() * (bytes.length + 1));
        expect(li.at(off), `offset ${off}`).toEqual(naive(bytes, off));
      }
    });
  }
});
