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

  it('matches a naive count across 64 KiB blocks, with broken UTF-8 next to newlines, offsets in any order', () => {
    // 300 KB: lines of random length, bytes of every value (lone UTF-8 lead and continuation bytes
    // before and after newlines), a long line spanning several blocks.
    const bytes = new Uint8Array(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = rand() < 0.02 ? 10 : rand() < 0.1 ? [0xe2, 0x82, 0xc3, 0xf0, 0x80, 0xbf][Math.floor(rand() * 6)] : 32 + Math.floor(rand() * 95);
    bytes.fill(120, 100_000, 240_000);
    const li = new LineIndex(bytes);
    const offsets = [65_535, 65_536, 65_537, 131_072, 0, 1, bytes.length, 99_999, 100_000, 239_999, 240_000];
    for (let k = 0; k < 300; k++) offsets.push(Math.floor(rand() * (bytes.length + 1)));
    for (const off of offsets) expect(li.at(off), `offset ${off}`).toEqual(naive(bytes, off));
  });
});
