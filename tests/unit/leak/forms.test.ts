// Named cases for the planted-key finder, in the style of gitleaks' decoder tests: every form it
// must catch (with the form it must report) and look-alikes it must let pass.
import { describe, expect, it } from 'vitest';
import {
  b64, brotli, deflate, each, enc, find, gzip, h2, hex, plantedKey, randomChars, reverse, rot13, sha256, utf16, wrap,
} from './forms-helpers.ts';

type Make = (k: string) => string | Uint8Array | { bytes: string | Uint8Array; file: string };
const K = plantedKey();
// Each must-catch case runs with several fresh keys: detection must not depend on a lucky key.
// LEAK_FORMS_KEYS=200 runs a longer randomised sweep.
const KEYS = [K, ...Array.from({ length: Number(process.env.LEAK_FORMS_KEYS ?? 4) - 1 }, plantedKey)];
const coin = () => Math.random() < 0.5;

// Must catch: [name, how the file is made, the form that must be reported]
const catches: Array<[string, Make, string | RegExp]> = [
  ['plain in a JS string', (k) => `const openai = new OpenAI({ apiKey: "${k}" });`, 'plain'],
  ['plain in .env', (k) => ({ bytes: `OPENAI_API_KEY=${k}\n`, file: '.env' }), 'plain'],
  ['plain at the very start and end of a file', (k) => k, 'plain'],
  ['plain on line 3', (k) => `a\nb\nconst k='${k}'`, 'plain'],
  ['reversed', (k) => `const k = "${reverse(k)}".split("").reverse().join("")`, 'reversed'],
  ['ROT13', (k) => `rot13("${rot13(k)}")`, 'rot13'],
  ['hex lower', (k) => `Buffer.from("${hex(k)}", "hex")`, 'hex'],
  ['hex upper', (k) => `"${hex(k).toUpperCase()}"`, 'hex'],
  ['hex wrapped at 64', (k) => wrap(hex(k), 64), 'hex'],
  ['\\x escapes', (k) => `"${each(k, (c) => '\\x' + h2(c))}"`, 'js-escape'],
  ['\\x escapes upper', (k) => `"${each(k, (c) => '\\x' + h2(c).toUpperCase())}"`, 'js-escape'],
  ['\\u escapes', (k) => `"${each(k, (c) => '\\u00' + h2(c))}"`, 'js-escape'],
  ['\\u{} escapes', (k) => `"${each(k, (c) => '\\u{' + h2(c) + '}')}"`, 'js-escape'],
  ['JSON \\u escapes only on letters', (k) => JSON.stringify(each(k, (c) => (c > 96 ? `\\u00${h2(c)}` : String.fromCharCode(c)))), 'js-escape'],
  ['mixed \\x and \\u escapes', (k) => `"${each(k, (c, i) => (i % 2 ? '\\x' + h2(c) : '\\u00' + h2(c)))}"`, 'js-escape'],
  ['\\u escapes on every other character', (k) => `"${each(k, (c, i) => (i % 2 ? '\\u00' + h2(c) : String.fromCharCode(c)))}"`, 'js-escape'],
  ['HTML hex entities on every other character', (k) => `<p>${each(k, (c, i) => (i % 2 ? `&#x${h2(c)};` : String.fromCharCode(c)))}</p>`, 'html-entity'],
  ['char codes in a table of other numbers', (k) => `const t = [3, 14, 15, 92, 65, 35, ${each(k, (c) => `${c}, `)}89, 79, 32];`, 'char-codes'],
  ['escapes on every third character', (k) => `"${each(k, (c, i) => (i % 3 === 0 ? '\\x' + h2(c) : String.fromCharCode(c)))}"`, 'js-escape'],
  ['JSON-in-JSON double-escaped \\u', (k) => JSON.stringify({ s: each(k, (c) => '\\u00' + h2(c)) }), 'js-escape'],
  ['percent, full upper', (k) => `fetch("/x?k=${each(k, (c) => '%' + h2(c).toUpperCase())}")`, 'percent'],
  ['percent, full lower', (k) => `"${each(k, (c) => '%' + h2(c))}"`, 'percent'],
  ['percent, only - and _', (k) => `"${k.replace(/[-_]/g, (c) => '%' + h2(c.charCodeAt(0)).toUpperCase())}"`, 'percent'],
  ['percent, every other character', (k) => `"${each(k, (c, i) => (i % 2 ? '%' + h2(c).toUpperCase() : String.fromCharCode(c)))}"`, 'percent'],
  ['percent, random half of the characters', (k) => `"${each(k, (c) => (coin() ? '%' + h2(c) : String.fromCharCode(c)))}"`, 'percent'],
  ['\\x on a random half of the characters', (k) => `"${each(k, (c) => (coin() ? '\\x' + h2(c) : String.fromCharCode(c)))}"`, 'js-escape'],
  ['HTML entities on a random half', (k) => `<p>${each(k, (c) => (coin() ? `&#${c};` : String.fromCharCode(c)))}</p>`, 'html-entity'],
  ['\\u on a random half, in JSON', (k) => JSON.stringify({ k: each(k, (c) => (coin() ? '\\u00' + h2(c) : String.fromCharCode(c))) }), 'js-escape'],
  ['HTML entities decimal', (k) => `<meta content="${each(k, (c) => `&#${c};`)}">`, 'html-entity'],
  ['HTML entities hex', (k) => `<p>${each(k, (c) => `&#x${h2(c)};`)}</p>`, 'html-entity'],
  ['HTML entities on dashes only', (k) => `<p>${k.replace(/-/g, '&#45;')}</p>`, 'html-entity'],
  ['HTML named &hyphen;', (k) => `<p>${k.replace(/-/g, '&hyphen;')}</p>`, 'html-entity'],
  ['char codes', (k) => `const c = [${each(k, (c) => `${c},`).slice(0, -1)}];`, 'char-codes'],
  ['char codes with spaces', (k) => `String.fromCharCode(${each(k, (c) => `${c}, `).slice(0, -2)})`, 'char-codes'],
  ['char codes one per line', (k) => `const c = [\n${each(k, (c) => `    ${c},\n`)}];`, 'char-codes'],
  ['char codes in hex', (k) => `String.fromCharCode(${each(k, (c) => `0x${h2(c)}, `).slice(0, -2)})`, 'char-codes'],
  ['base64, alignment 0', (k) => `atob("${b64(k)}")`, 'base64'],
  ['base64, alignment 1', (k) => `"${b64('{' + k + '}')}"`, 'base64'],
  ['base64, alignment 2', (k) => `"${b64('k=' + k + '\n')}"`, 'base64'],
  ['base64url, alignment 1', (k) => `"${b64('{"k":"' + k + '"}', true)}"`, /^base64(url)?$/],
  ['base64 wrapped at 76', (k) => wrap(b64('OPENAI_API_KEY=' + k + '\n'), 76), 'base64'],
  ['base64 wrapped at 64 CRLF', (k) => wrap(b64('x' + k), 64, '\r\n'), 'base64'],
  ['base64 wrapped in JSON (\\n escapes)', (k) => JSON.stringify({ pem: wrap(b64('ab' + k), 64) }), 'base64'],
  ['base64 split into a string concatenation', (k) => `const b = ${(b64('x' + k).match(/.{1,40}/g) as string[]).map((s) => JSON.stringify(s)).join(' +\n  ')};`, 'base64'],
  ['hex split into an array', (k) => `[${(hex(k).match(/.{1,32}/g) as string[]).map((s) => `'${s}'`).join(', ')}].join('')`, 'hex'],
  ['base64 of base64', (k) => `atob(atob("${b64(b64(k))}"))`, /^base64(url)?>base64(url)?$/],
  ['base64 of base64, shifted', (k) => `"${b64('xy' + b64('z' + k))}"`, /^base64(url)?>base64(url)?$/],
  ['base64 of UTF-16LE', (k) => `powershell -EncodedCommand ${b64(Buffer.from('$k="' + k + '"', 'utf16le'))}`, 'base64>utf16le'],
  ['UTF-16LE with BOM', (k) => utf16(`KEY=${k}\n`, true, true), 'utf16le'],
  ['UTF-16BE with BOM', (k) => utf16(`KEY=${k}\n`, false, true), 'utf16be'],
  ['UTF-16LE without BOM', (k) => utf16(k, true, false), 'utf16le'],
  ['gzip file', (k) => ({ bytes: gzip(`export const k = "${k}";`), file: 'dist/assets/index.js.gz' }), 'gzip>plain'],
  ['brotli file', (k) => ({ bytes: brotli(`export const k = "${k}";`), file: 'dist/assets/index.js.br' }), 'brotli>plain'],
  ['zlib file', (k) => ({ bytes: deflate(`k=${k}`), file: 'data.zz' }), 'deflate>plain'],
  ['gzip of base64', (k) => ({ bytes: gzip(b64(k)), file: 'x.gz' }), 'gzip>base64'],
  ['base64 of gzip', (k) => `const blob = "${b64(gzip('{"key":"' + k + '"}'))}";`, 'base64-gzip>plain'],
  ['data: URL, text', (k) => `<a href="data:text/plain;base64,${b64(gzip('x'))}">${'.'.repeat(3)}</a><img src="data:text/plain;base64,${b64('\u0000\u0001' + JSON.stringify({ k: each(k, (c) => '\\u00' + h2(c)) }))}">`, 'data-url>js-escape'],
  ['data: URL, zlib payload', (k) => `fetch("data:application/octet-stream;base64,${b64(deflate('k=' + k))}")`, 'data-url>deflate>plain'],
  ['data: URL, gzip payload', (k) => `url(data:application/octet-stream;base64,${b64(gzip(k))})`, 'data-url>gzip>plain'],
  [
    'inline source map with the key in sourcesContent',
    (k) => `console.log(1);\n//# sourceMappingURL=data:application/json;base64,${b64(JSON.stringify({ version: 3, sources: ['src/main.ts'], sourcesContent: [`// old\nconst k = "${each(k, (c) => '\\x' + h2(c))}";`], mappings: 'AAAA' }))}`,
    /^inline-sourcemap>(sourcemap>js-escape|js-escape)$/,
  ],
  [
    'source map file, dead DEV branch',
    (k) => ({ bytes: JSON.stringify({ version: 3, sources: ['src/api.ts'], sourcesContent: [`if (import.meta.env.DEV) {\n  key = "${k}";\n}`], mappings: 'AAAA' }), file: 'dist/assets/index.js.map' }),
    'sourcemap>plain',
  ],
  // Simple ciphers copied from blog posts (forms/ciphers.ts).
  ['ROT5 (letters moved 5 places)', (k) => `const k = rot("${rotN(k, 5)}", 21);`, 'rot5'],
  ['ROT20', (k) => `"${rotN(k, 20)}"`, 'rot20'],
  ['ROT13 of the random part only', (k) => `"sk-proj-${rotN(k.slice(8), 13)}"`, 'rot13-after-prefix'],
  ['Caesar shift by 3 of the random part', (k) => `"${k.slice(0, 8)}${rotN(k.slice(8), 3)}"`, 'rot3-after-prefix'],
  ['ROT47', (k) => `"${rot47(k)}"`, 'rot47'],
  ['char codes shifted by +1', (k) => `String.fromCharCode(...[..."${shiftCodes(k, 1)}"].map(c => c.charCodeAt(0) - 1))`, 'shift+1'],
  ['char codes shifted by -7', (k) => `"${shiftCodes(k, -7)}"`, 'shift-7'],
  ['Caesar over A-Za-z0-9 by 10, random part', (k) => `"${k.slice(0, 8)}${alnumShift(k.slice(8), 10)}"`, 'alnum-shift10-after-prefix'],
  ['XOR with 42, as hex', (k) => `const k = xor(Buffer.from("${xorWith(k, 42).toString('hex')}", "hex"), 42);`, 'hex>xor'],
  ['XOR with 0xAA, as upper-case hex', (k) => `"${xorWith(k, 0xaa).toString('hex').toUpperCase()}"`, 'hex>xor'],
  ['XOR with 0x5A, as base64', (k) => `atob("${xorWith(k, 0x5a).toString('base64')}")`, 'base64>xor'],
  ['XOR with 255, as base64url', (k) => `"${xorWith(k, 255).toString('base64url')}"`, /^base64(url)?>xor$/],
  ['XOR with 7 of a whole .env, as base64 (any alignment)', (k) => `"${xorWith('A=1\nOPENAI_API_KEY=' + k + '\n', 7).toString('base64')}"`, /^base64(url)?>xor$/],
  ['XOR with 1, kept as text', (k) => `"${xorWith(k, 1).toString('latin1')}"`, 'xor'],
  ['base64 of the reversed key', (k) => `atob("${b64(reverse(k))}").split("").reverse().join("")`, 'base64>reversed'],
  ['base64 of ROT13', (k) => `"${b64(rot13(k))}"`, 'base64>rot13'],
  ['base64, then reversed', (k) => `"${reverse(b64(k))}"`, 'reversed>base64'],
  ['split with +', (k) => `const k = "${k.slice(0, 50)}" + "${k.slice(50, 110)}" + "${k.slice(110)}";`, 'fragments'],
  ['split into an array joined', (k) => `const k = [${(k.match(/.{1,20}/g) as string[]).map((s) => JSON.stringify(s)).join(', ')}].join("");`, 'fragments'],
  ['split into 12-char pieces on separate lines', (k) => (k.match(/.{1,12}/g) as string[]).map((s) => `  '${s}' +`).join('\n'), 'fragments'],
];

// Must pass: look-alikes that are not the key.
const passes: Array<[string, Make]> = [
  ['another key with the same prefix', () => `OPENAI_API_KEY=sk-proj-${randomChars(156)}`],
  ['sha256 of the key', (k) => `hash=${sha256(k)}`],
  ['sha256 of the key, base64', (k) => `hash=${Buffer.from(sha256(k), 'hex').toString('base64')}`],
  ['masked with an ellipsis', (k) => `key: ${k.slice(0, 11)}…${k.slice(-3)}`],
  ['masked with stars', (k) => `Incorrect API key provided: ${k.slice(0, 8)}****${k.slice(-4)}`],
  ['masked prefix only', () => 'sk-proj-****'],
  ['first 20 characters only', (k) => `${k.slice(0, 20)}...`],
  ['first half only', (k) => `const k = "${k.slice(0, 86)}";`],
  ['the variable name', () => 'const key = process.env.OPENAI_API_KEY;\nOPENAI_API_KEY=\n'],
  ['placeholder', () => 'OPENAI_API_KEY=sk-proj-your-key-here'],
  ['base64 of another key', () => b64(`sk-proj-${randomChars(156)}`)],
  ['hex of another key', () => hex(`sk-proj-${randomChars(156)}`)],
  ['gzip of another key', () => ({ bytes: gzip(`sk-proj-${randomChars(156)}`), file: 'a.js.gz' })],
  ['char codes of another key', () => `[${each(`sk-proj-${randomChars(156)}`, (c) => `${c},`)}]`],
  ['random base64 blob', () => randomBytes64(20000)],
  // Another key under the same cipher is not this key (precision of the cipher forms).
  ['ROT5 of another key', () => `"${rotN(`sk-proj-${randomChars(156)}`, 5)}"`],
  ['ROT13 of another key\'s random part', (k) => `"${k.slice(0, 8)}${rotN(randomChars(156), 13)}"`],
  ['char codes +1 of another key', () => `"${shiftCodes(`sk-proj-${randomChars(156)}`, 1)}"`],
  ['XOR 42 of another key, hex', () => xorWith(`sk-proj-${randomChars(156)}`, 42).toString('hex')],
  ['XOR 0x5A of another key, base64', () => xorWith(`sk-proj-${randomChars(156)}`, 0x5a).toString('base64')],
  ['XOR of the key cut short (first 60 characters), hex', (k) => xorWith(k.slice(0, 60), 42).toString('hex')],
  ['ROT7 of the key with its last characters changed', (k) => `"${rotN(k.slice(0, -6), 7)}${randomChars(6)}"`],
  ['base64 of another key reversed', () => b64(reverse(`sk-proj-${randomChars(156)}`))],
  ['short key-like runs (7 chars) all over', (k) => (k.slice(8).match(/.{7}/g) as string[]).map((s, i) => `v${i}="${s}"`).join(';')],
];

const rotN = (s: string, n: number) => s.replace(/[a-z]/gi, (c) => String.fromCharCode(((c.charCodeAt(0) - (c <= 'Z' ? 65 : 97) + n) % 26) + (c <= 'Z' ? 65 : 97)));
const rot47 = (s: string) => each(s, (c) => String.fromCharCode(c >= 33 && c <= 126 ? ((c - 33 + 47) % 94) + 33 : c));
const shiftCodes = (s: string, n: number) => each(s, (c) => String.fromCharCode(c + n));
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alnumShift = (s: string, n: number) => [...s].map((c) => (ALNUM.includes(c) ? ALNUM[(ALNUM.indexOf(c) + n) % 62] : c)).join('');
const xorWith = (s: string, x: number) => Buffer.from([...Buffer.from(s)].map((b) => b ^ x));

function randomBytes64(n: number): string {
  return Buffer.from(randomChars(n)).toString('base64');
}

async function run(make: Make, key: string) {
  const made = make(key);
  const { bytes, file } = typeof made === 'object' && 'file' in made ? made : { bytes: made, file: 'src/app.js' };
  return find(key, typeof bytes === 'string' ? enc(bytes) : bytes, file);
}

describe('finds the planted key in every form', () => {
  for (const [name, make, form] of catches) {
    it(name, async () => {
      for (const key of KEYS) {
        const f = await run(make, key);
        expect(f.length, `no finding for "${name}" with key ${key.slice(0, 12)}…`).toBeGreaterThan(0);
        expect(f[0].form).toMatch(typeof form === 'string' ? new RegExp(`^${form.replace(/[>+]/g, '\\$&')}$`) : form);
        // One place, one finding: no extra 'fragments' for the plain runs of a partly encoded key.
        if (form !== 'fragments') expect(f.map((x) => x.form)).not.toContain('fragments');
        for (const x of f) {
          expect(x.excerpt).not.toContain(key.slice(8, 30));
          expect(x.message).toMatch(/The key is/);
          expect(x.file).toBeTruthy();
        }
      }
    });
  }
});

describe('lets look-alikes pass', () => {
  for (const [name, make] of passes) {
    it(name, async () => {
      for (const key of KEYS) expect(await run(make, key)).toEqual([]);
    });
  }
});

describe('where and how it reports', () => {
  it('gives 1-based line and column, and masks the key', async () => {
    const f = await find(K, `line one\n  const k = "${K}";\n`);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ file: 'src/app.js', line: 2, column: 14, form: 'plain', target: 'source' });
    expect(f[0].excerpt).not.toContain(K);
    expect(f[0].message).toBe('The key is in src/app.js, line 2, column 14, as plain text.');
  });

  it('reports a key that appears twice, twice; one that is also base64 near it, once per place', async () => {
    const f = await find(K, `a="${K}"\nb="${K}"\nc="${b64(K)}"`);
    expect(f.map((x) => [x.line, x.form])).toEqual([[1, 'plain'], [2, 'plain'], [3, 'base64']]);
  });

  it('never puts a decodable form in the excerpt', async () => {
    for (const text of [b64(K), hex(K), reverse(K), each(K, (c) => '%' + h2(c))]) {
      const f = await find(K, `x = "${text}"`);
      expect(f.length).toBe(1);
      expect(f[0].excerpt.length).toBeLessThan(60);
    }
  });

  it('rejects a key too short to look for', async () => {
    await expect(find('sk-proj-', 'x')).rejects.toThrow(/too short|only/);
  });
});
