// Streaming: a file read in chunks gives the same findings as the file read whole — forms that
// straddle a window edge are found once, lines keep counting across windows, gzip is decompressed
// as it streams.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { findKeyInBytes, findKeyInStream } from '../../../src/lib/leak/index.ts';
import { nodeDecompressors } from '../../../src/node/fs-node.ts';
import { b64, each, enc, h2, plantedKey } from './forms-helpers.ts';

const K = plantedKey();
const WINDOW = 64 * 1024;

async function* chunked(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

/** `filler` bytes of JS-ish text with a newline every 80 characters. */
function filler(n: number): string {
  const line = 'var a=function(b){return b*2+c.d("xyz")};'.padEnd(79, ' ') + '\n';
  return line.repeat(Math.ceil(n / 80)).slice(0, n);
}

const stream = (bytes: Uint8Array, size: number, file = 'big.js') =>
  findKeyInStream(K, chunked(bytes, size), { file, target: 'bundle', decompress: nodeDecompressors }, { window: WINDOW, overlap: 8 * 1024 });

describe('findKeyInStream', () => {
  const forms: Array<[string, string]> = [
    ['plain', K],
    ['base64', b64('x' + K)],
    ['js-escape', each(K, (c) => '\\x' + h2(c))],
    ['char-codes', each(K, (c) => `${c}, `)],
  ];
  for (const [form, text] of forms) {
    for (const offset of [-text.length + 3, -text.length / 2, -3, 0, 5]) {
      it(`${form} straddling a window edge (offset ${Math.round(offset)}) is found once, on the right line`, async () => {
        const at = WINDOW + Math.round(offset);
        const body = filler(at) + text + '\n' + filler(3 * WINDOW);
        const whole = await findKeyInBytes(K, enc(body), { file: 'big.js', target: 'bundle' });
        for (const size of [1000, 4096, 65536 + 7]) {
          const got = await stream(enc(body), size);
          expect(got.map((f) => [f.form, f.line, f.column])).toEqual(whole.map((f) => [f.form, f.line, f.column]));
          expect(got.map((f) => f.form)).toEqual([form]);
        }
      });
    }
  }

  it('reports the same key twice in two windows, twice', async () => {
    const body = `k="${K}"\n` + filler(5 * WINDOW) + `k="${K}"\n`;
    const got = await stream(enc(body), 10_000);
    expect(got.map((f) => f.line)).toEqual([1, 2 + (5 * WINDOW) / 80]);
  });

  it('pools fragments across windows', async () => {
    const body = `a="${K.slice(0, 90)}"\n` + filler(3 * WINDOW) + `b="${K.slice(90)}"\n`;
    const got = await stream(enc(body), 10_000);
    expect(got.map((f) => f.form)).toEqual(['fragments']);
  });

  it('decompresses a gzip stream as it reads it', async () => {
    const body = gzipSync(filler(4 * WINDOW) + `k="${K}"\n` + filler(WINDOW));
    const got = await stream(new Uint8Array(body), 5000, 'big.js.gz');
    expect(got.map((f) => f.form)).toEqual(['gzip>plain']);
    const line = Math.floor((4 * WINDOW) / 80) + 1;
    const column = ((4 * WINDOW) % 80) + 4;
    expect(got[0].message).toContain(`once decompressed: line ${line}, column ${column}`);
  });

  it('finds nothing in a clean stream', async () => {
    expect(await stream(enc(filler(4 * WINDOW)), 3000)).toEqual([]);
  });
});
