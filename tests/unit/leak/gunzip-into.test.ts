// gunzipInto (src/node/fs-node.ts): inflating a bundle's .gz files into one reused output buffer
// must give exactly what gunzip gives, whatever the buffer's size, and fail like gunzip on bad input.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { nodeDecompressors } from '../../../src/node/fs-node.ts';

const text = Buffer.from('const a = "' + randomBytes(20_000).toString('base64') + '";\n'.repeat(3000));
const gz = new Uint8Array(gzipSync(text));
const into = nodeDecompressors.gunzipInto!;

describe('gunzipInto', () => {
  it('inflates into the given buffer when the output fits', () => {
    const buf = new Uint8Array(text.length + 1);
    const out = into(gz, buf);
    expect(Buffer.compare(Buffer.from(out), text)).toBe(0);
    expect(out.buffer).toBe(buf.buffer);
  });
  it('gives the whole output in a buffer of its own when it does not fit', () => {
    const buf = new Uint8Array(1000);
    const out = into(gz, buf);
    expect(Buffer.compare(Buffer.from(out), text)).toBe(0);
    expect(out.buffer).not.toBe(buf.buffer);
  });
  it('reuses the same buffer for file after file', () => {
    const buf = new Uint8Array(text.length + 1);
    const other = Buffer.from('second file, shorter\n');
    expect(Buffer.from(into(gz, buf)).equals(text)).toBe(true);
    expect(Buffer.from(into(new Uint8Array(gzipSync(other)), buf)).equals(other)).toBe(true);
  });
  it('throws on a truncated or corrupt file, as gunzip does', () => {
    const buf = new Uint8Array(text.length + 1);
    expect(() => into(gz.subarray(0, gz.length >> 1), buf)).toThrow();
    expect(() => nodeDecompressors.gunzip!(gz.subarray(0, gz.length >> 1))).toThrow();
    const bad = gz.slice();
    bad[20] ^= 0xff;
    expect(() => into(bad, buf)).toThrow();
  });
});
