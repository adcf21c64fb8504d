import { describe, expect, it } from 'vitest';
import { generateKey, maskKey } from '../../../src/platform/index.ts';
import { redactKey, safeEqual } from '../../../src/platform/keys.ts';
import { countChatPromptTokens, countTokens } from '../../../src/platform/tokens.ts';
import { formatDuration } from '../../../src/platform/state.ts';

describe('keys', () => {
  it('generates real-length fake keys without the real marker', () => {
    const marker = 'T3Blbk' + 'FJ';
    for (const kind of ['project', 'service_account', 'admin'] as const) {
      const k = generateKey(kind);
      expect(k).toMatch(/^sk-(proj|svcacct|admin)-[A-Za-z0-9_-]{156}$/);
      expect(k).not.toContain(marker);
    }
    expect(generateKey('project')).not.toBe(generateKey('project'));
  });

  it('masks keys as OpenAI does: prefix, stars, last four', () => {
    expect(maskKey('sk-proj-abcdefghijklmnop')).toBe('sk-proj-************mnop');
    expect(maskKey('sk-svcacct-0123456789AB')).toBe('sk-svcacct-********89AB');
    expect(maskKey('sk-short')).toBe('sk-*****');
    expect(maskKey('hello')).toBe('*****');
    expect(redactKey('sk-proj-abcdefghijklmnop')).toBe('sk-proj-...mnop');
  });

  it('compares tokens exactly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'a')).toBe(false);
  });
});

describe('approximate tokenizer', () => {
  it('counts about four characters per token', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('abcd')).toBe(1);
    expect(countTokens('abcde')).toBe(2);
    expect(countChatPromptTokens([{ content: 'abcd' }, { content: [{ type: 'text', text: 'abcdefgh' }] }])).toBe(3 + 3 + 1 + 3 + 2);
  });

  it('formats reset durations like OpenAI headers', () => {
    expect(formatDuration(6)).toBe('6ms');
    expect(formatDuration(20_000)).toBe('20s');
    expect(formatDuration(9816)).toBe('9.816s');
    expect(formatDuration(60_000)).toBe('1m0s');
  });
});

describe('IP allowlists', async () => {
  const { ipAllowed, isValidAllowlistEntry } = await import('../../../src/platform/ip.ts');
  it('matches exact addresses and IPv4 ranges', () => {
    expect(ipAllowed('127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(ipAllowed('::ffff:127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(ipAllowed('10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(ipAllowed('11.1.2.3', ['10.0.0.0/8'])).toBe(false);
    expect(ipAllowed('203.0.113.77', ['203.0.113.0/24'])).toBe(true);
    expect(ipAllowed('203.0.113.77', ['127.0.0.1', '198.51.100.0/24'])).toBe(false);
    expect(ipAllowed('1.2.3.4', ['0.0.0.0/0'])).toBe(true);
    expect(ipAllowed('::1', ['::1'])).toBe(true);
  });
  it('knows which entries are valid', () => {
    for (const ok of ['127.0.0.1', '10.0.0.0/8', '::1', '0.0.0.0/0']) expect(isValidAllowlistEntry(ok)).toBe(true);
    for (const bad of ['', '256.0.0.1', '10.0.0.0/33', 'example.com', '1.2.3', '10.0.0.0/8/1']) expect(isValidAllowlistEntry(bad)).toBe(false);
  });
});
