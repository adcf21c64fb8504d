// Real-key scan rules: named samples each rule must catch and must let pass (gitleaks style).
// The marker is built at run time: this repository must never hold it literally.
import { describe, it, expect } from 'vitest';
import { gzipSync, deflateSync, gunzipSync, inflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { matchRules, MARKER, dummyReason } from '../../../src/lib/leak/scan/rules.ts';
import { scanBytes } from '../../../src/lib/leak/scan/scan-bytes.ts';
import { randomChars } from './helpers-h3b.ts';

const M = 'T3Blbk' + 'FJ';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const urlsafe = (n: number) => randomChars(n);
const alnum = (n: number) => randomChars(n, ALNUM);

const project74 = `sk-proj-${urlsafe(74)}${M}${urlsafe(74)}`;
const must: Array<[string, string, string]> = [
  ['project key, 74+74', project74, 'openai-project-key'],
  ['project key, 58+58', `sk-proj-${urlsafe(58)}${M}${urlsafe(58)}`, 'openai-project-key'],
  ['service-account key', `sk-svcacct-${urlsafe(74)}${M}${urlsafe(74)}`, 'openai-service-account-key'],
  ['admin key', `sk-admin-${urlsafe(58)}${M}${urlsafe(58)}`, 'openai-admin-key'],
  ['user key with sk-None-', `sk-None-${urlsafe(74)}${M}${urlsafe(74)}`, 'openai-user-key'],
  ['legacy user key', `sk-${alnum(20)}${M}${alnum(20)}`, 'openai-legacy-key'],
  ['early project key (48 after sk-proj-)', `sk-proj-${alnum(20)}${M}${alnum(20)}`, 'openai-project-key-2024'],
  ['early key named after its project', `sk-billing-bot-${alnum(20)}${M}${alnum(20)}`, 'openai-project-key-2024'],
  ['planted-style key without marker', `sk-proj-${urlsafe(156)}`, 'openai-key-without-marker'],
  ['service-account key without marker, short form', `sk-svcacct-${urlsafe(124)}`, 'openai-key-without-marker'],
  // Halves of other lengths than gitleaks' 74 and 58: key lengths change, the range around the marker counts.
  ['service-account key, 64+64', `sk-svcacct-${urlsafe(64)}${M}${urlsafe(64)}`, 'openai-service-account-key'],
  ['service-account key, 80+80', `sk-svcacct-${urlsafe(80)}${M}${urlsafe(80)}`, 'openai-service-account-key'],
  ['service-account key, 58+74', `sk-svcacct-${urlsafe(58)}${M}${urlsafe(74)}`, 'openai-service-account-key'],
  ['service-account key, 90+48', `sk-svcacct-${urlsafe(90)}${M}${urlsafe(48)}`, 'openai-service-account-key'],
  ['project key, 66+66', `sk-proj-${urlsafe(66)}${M}${urlsafe(66)}`, 'openai-project-key'],
  ['project key, 75+74', `sk-proj-${urlsafe(75)}${M}${urlsafe(74)}`, 'openai-project-key'],
  ['admin key, 70+78', `sk-admin-${urlsafe(70)}${M}${urlsafe(78)}`, 'openai-admin-key'],
];

const pass: Array<[string, string]> = [
  ['x placeholder', `sk-proj-${'x'.repeat(74)}${M}${'x'.repeat(74)}`],
  ['sk-... in docs', 'OPENAI_API_KEY=sk-...'],
  ['<your key>', 'OPENAI_API_KEY=<your key>'],
  ['your-key-here style', `sk-proj-your-key-here${urlsafe(53)}${M}${urlsafe(74)}`],
  ['alphabet dummy', `sk-proj-${'abcdefghijklmnopqrstuvwxyz'.repeat(3).slice(0, 74)}${M}${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.repeat(3).slice(0, 74)}`],
  ['repeated unit', `sk-proj-${'a1B2c3D4'.repeat(10).slice(0, 74)}${M}${'a1B2c3D4'.repeat(10).slice(0, 74)}`],
  ['repeated characters', `sk-${'A'.repeat(20)}${M}${'b'.repeat(20)}`],
  ['masked with …', `sk-proj-Ab3d…(164 chars)…yZ`],
  ['masked with stars', `sk-proj-${'*'.repeat(40)}${urlsafe(8)}`],
  ['truncated real key', project74.slice(0, 100)],
  ['a half far longer than any key', `sk-proj-${urlsafe(140)}${M}${urlsafe(74)}`],
  ['both halves far longer than any key', `sk-svcacct-${urlsafe(200)}${M}${urlsafe(200)}`],
  ['halves far shorter than today\'s keys', `sk-svcacct-${urlsafe(29)}_${M}_${urlsafe(29)}`],
  ['masked service-account key', `sk-svcacct-${urlsafe(6)}${'*'.repeat(58)}${M}${'*'.repeat(64)}${urlsafe(4)}`],
  ['placeholder with marker, other lengths', `sk-svcacct-${'x'.repeat(64)}${M}${'x'.repeat(64)}`],
  ['placeholder word, other lengths', `sk-svcacct-YOUR_SERVICE_ACCOUNT_KEY_${urlsafe(40)}${M}${urlsafe(66)}`],
  ['Stripe live key', `sk_live_${alnum(99)}`],
  ['Stripe test key', `sk_test_${alnum(24)}`],
  ['Anthropic key', `sk-ant-api03-${urlsafe(93)}AA`],
  ['OpenRouter key', `sk-or-v1-${randomChars(64, '0123456789abcdef')}`],
  ['sk- + 32 hex (other vendors)', `sk-${randomChars(32, '0123456789abcdef')}`],
  ['sk- + 48 alphanumerics without marker', `sk-${alnum(48)}`],
  ['the variable name', 'const key = process.env.OPENAI_API_KEY'],
  ['a hash of a key', createHash('sha256').update(project74).digest('hex')],
  ['unmarked but wrong length', `sk-proj-${urlsafe(140)}`],
  ['unmarked alphabet dummy', `sk-proj-${'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'.repeat(3).slice(0, 156)}`],
];

describe('scan rules', () => {
  it('builds the marker at run time', () => expect(MARKER).toBe(M));

  for (const [name, key, rule] of must) {
    it(`catches: ${name}`, () => {
      const text = `const config = { apiKey: "${key}" };\n`;
      const m = matchRules(text);
      expect(m.map((x) => x.rule.id)).toEqual([rule]);
      expect(m[0].text).toBe(key);
    });
  }
  for (const [name, text] of pass) {
    it(`passes: ${name}`, () => {
      expect(matchRules(`x = "${text}"\n`)).toEqual([]);
    });
  }

  it('explains why a dummy is not a key', () => {
    expect(dummyReason('x'.repeat(40))).toBeDefined();
    expect(dummyReason(alnum(40))).toBeUndefined();
  });
});

const te = new TextEncoder();
const b64 = (s: string) => Buffer.from(s).toString('base64');
const decompress = { gunzip: (b: Uint8Array) => new Uint8Array(gunzipSync(b)), inflate: (b: Uint8Array) => new Uint8Array(inflateSync(b)) };
const scan = (content: string | Uint8Array) =>
  scanBytes(typeof content === 'string' ? te.encode(content) : content, { file: 'f', target: 'source', decompress });

describe('scan decodes before it matches', () => {
  const key = project74;
  const forms: Array<[string, string | Uint8Array, string]> = [
    ['plain', `OPENAI_API_KEY=${key}`, 'plain'],
    ['base64', `const k = atob("${b64(key)}")`, 'base64'],
    ['base64 of a whole .env', `ENV_B64=${b64(`A=1\nOPENAI_API_KEY=${key}\n`)}`, 'base64'],
    ['base64url', `k=${Buffer.from('=' + key).toString('base64url')}`, 'base64'],
    ['base64 of base64', `k=${b64(b64(key))}`, 'base64>base64'],
    ['hex', `k=${Buffer.from(key).toString('hex')}`, 'hex'],
    ['percent-encoded', `url?k=${[...key].map((c) => '%' + c.charCodeAt(0).toString(16)).join('')}`, 'percent'],
    ['\\u escapes', `"${[...key].map((c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join('')}"`, 'js-escape'],
    ['reversed', `k="${[...key].reverse().join('')}".split("").reverse().join("")`, 'reversed'],
    ['ROT13', `k=${key.replace(/[A-Za-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - (c <= 'Z' ? 65 : 97) + 13) % 26) + (c <= 'Z' ? 65 : 97)))}`, 'rot13'],
    ['char codes', `String.fromCharCode(${[...key].map((c) => c.charCodeAt(0)).join(', ')})`, 'char-codes'],
    ['gzip file', new Uint8Array(gzipSync(`OPENAI_API_KEY=${key}\n`)), 'gzip>plain'],
    ['deflate data', new Uint8Array(deflateSync(`OPENAI_API_KEY=${key}\n`)), 'deflate>plain'],
    ['UTF-16LE with BOM', new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`k=${key}`, 'utf16le')])), 'utf16>plain'],
  ];
  for (const [name, content, form] of forms) {
    it(`finds a key ${name}`, async () => {
      const f = await scan(content);
      expect(f.map((x) => x.form)).toContain(form);
      expect(f[0].rule).toBe('openai-project-key');
      expect(f[0].excerpt).not.toContain(key.slice(12, 40));
      expect(JSON.stringify(f)).not.toContain(key);
    });
  }

  it('finds a service-account key with halves of other lengths, plain and encoded', async () => {
    const svc = `sk-svcacct-${urlsafe(66)}${M}${urlsafe(82)}`;
    for (const text of [`KEY=${svc}`, `k=${b64(svc)}`, `k=${Buffer.from(svc).toString('hex')}`]) {
      const f = await scan(text);
      expect(f.map((x) => x.rule), text.slice(0, 30)).toEqual(['openai-service-account-key']);
      expect(JSON.stringify(f)).not.toContain(svc);
    }
  });

  it('reports line and column of a plain key', async () => {
    const f = await scan(`a\nb\n  KEY=${key}\n`);
    expect(f).toHaveLength(1);
    expect([f[0].line, f[0].column]).toEqual([3, 7]);
  });

  it('passes a file of base64 and hex noise', async () => {
    expect(await scan(`${b64(urlsafe(3000))}\n${Buffer.from(urlsafe(500)).toString('hex')}`)).toEqual([]);
  });

  it('passes placeholders in every form', async () => {
    const dummy = `sk-proj-${'x'.repeat(74)}${M}${'x'.repeat(74)}`;
    expect(await scan(`${dummy}\n${b64(dummy)}\n${Buffer.from(dummy).toString('hex')}`)).toEqual([]);
  });
});
