// The chapters' own file-only checks (lessons/*/exercise/*.ts), each with cases it must catch and
// cases it must pass, including the disguised keys a learner might try.
import { describe, expect, it } from 'vitest';
import { generatePlantedKey } from '../../src/lib/exercise/planted-key.ts';
import { envFileHoldsKey, examplePlaceholder, parseEnv } from '../../lessons/02-env-vars/exercise/env-file.ts';
import { noViteVariableHoldsKey } from '../../lessons/03-backend-proxy/exercise/front-end.ts';
import { hiddenKeyForms } from './lessons-helpers.ts';

const key = generatePlantedKey();
const other = generatePlantedKey();
const forms = hiddenKeyForms(key);

describe('parseEnv (chapter 2)', () => {
  it('reads NAME=value lines, export, quotes and comments', () => {
    const vars = parseEnv('# comment\nA=1\nexport B = two\nC="x # y"\nD=z # note\n\nnot a line\n');
    expect([...vars]).toEqual([
      ['A', '1'],
      ['B', 'two'],
      ['C', 'x # y'],
      ['D', 'z'],
    ]);
  });
});

describe('envFileHoldsKey (chapter 2)', () => {
  it('passes when .env sets OPENAI_API_KEY to the key, quoted or not', () => {
    expect(envFileHoldsKey({ '.env': `OPENAI_API_KEY=${key}\n` }, key).status).toBe('pass');
    expect(envFileHoldsKey({ '.env': `OPENAI_MODEL=x\nOPENAI_API_KEY="${key}"\n` }, key).status).toBe('pass');
  });
  it('fails without .env, without the variable, with an empty value, another key or a cut key', () => {
    expect(envFileHoldsKey({}, key)).toMatchObject({ status: 'fail', message: expect.stringContaining('no .env') });
    expect(envFileHoldsKey({ '.env': `API_KEY=${key}\n` }, key)).toMatchObject({ status: 'fail', message: expect.stringContaining('OPENAI_API_KEY=') });
    expect(envFileHoldsKey({ '.env': 'OPENAI_API_KEY=\n' }, key)).toMatchObject({ status: 'fail', message: expect.stringContaining('nothing after it') });
    expect(envFileHoldsKey({ '.env': `OPENAI_API_KEY=${other}\n` }, key).status).toBe('fail');
    expect(envFileHoldsKey({ '.env': `OPENAI_API_KEY=${key.slice(0, -3)}\n` }, key).status).toBe('fail');
  });
  it('never puts the key in its message', () => {
    for (const env of [`OPENAI_API_KEY=${key}x\n`, `OPENAI_API_KEY=${key}\n`]) {
      expect(envFileHoldsKey({ '.env': env }, key).message).not.toContain(key.slice(8, 40));
    }
  });
});

describe('envFileHoldsKey: any .env-style file a loader reads (chapter 2)', () => {
  it('passes for .env.local or .env.development, not for an example file', () => {
    expect(envFileHoldsKey({ '.env.local': `OPENAI_API_KEY=${key}\n` }, key).status).toBe('pass');
    expect(envFileHoldsKey({ '.env.development': `export OPENAI_API_KEY='${key}'\n` }, key).status).toBe('pass');
    expect(envFileHoldsKey({ '.env.example': `OPENAI_API_KEY=${key}\n` }, key).status).toBe('fail');
  });
});

describe('examplePlaceholder (chapter 2)', () => {
  const ex = (text: string) => examplePlaceholder({ '.env.example': text }, key);
  it('passes an empty value or any placeholder, with or without export, even one starting sk-proj-', async () => {
    for (const text of ['OPENAI_API_KEY=\n', 'OPENAI_API_KEY=your-key-here\n', 'export OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n', '# comment\nexport OPENAI_API_KEY="sk-proj-..."\n']) {
      expect((await ex(text)).status, text).toBe('pass');
    }
  });
  it('fails without the file or the variable, or with the key in any form, another attempt\'s key or a real key', async () => {
    expect((await examplePlaceholder({}, key)).status).toBe('fail');
    expect((await ex('OPENAI_MODEL=gpt-4o-mini\n')).status).toBe('fail');
    for (const value of [key, forms.PLANTED_KEY_BASE64, forms.PLANTED_KEY_REVERSED, other, `sk-proj-${'a'.repeat(20)}${'T3Blbk' + 'FJ'}${'b'.repeat(20)}`]) {
      const r = await ex(`OPENAI_API_KEY=${value}\n`);
      expect(r.status, value.slice(0, 12)).toBe('fail');
      expect(JSON.stringify(r)).not.toContain(key);
    }
  });
});

describe('noViteVariableHoldsKey (chapter 3)', () => {
  it('fails on VITE_ variables holding the key plainly, base64-encoded or reversed, in any .env file', async () => {
    for (const [file, text] of [
      ['.env', `VITE_OPENAI_API_KEY=${key}\n`],
      ['.env.local', `VITE_SECRET="${forms.PLANTED_KEY_BASE64}"\n`],
      ['.env.production', `export VITE_K=${forms.PLANTED_KEY_REVERSED}\n`],
    ] as const) {
      const r = await noViteVariableHoldsKey({ [file]: text }, key);
      expect(r.status, `${file}: ${text.slice(0, 30)}`).toBe('fail');
      expect(r.message).toContain(file);
      expect(JSON.stringify(r)).not.toContain(key);
    }
  });
  it('passes when the key is in a variable without the VITE_ prefix, or VITE_ holds something else', async () => {
    expect((await noViteVariableHoldsKey({ '.env': `OPENAI_API_KEY=${key}\nVITE_TITLE=Ask the model\n` }, key)).status).toBe('pass');
    expect((await noViteVariableHoldsKey({ '.env': `VITE_OPENAI_API_KEY=${other}\n` }, key)).status).toBe('pass');
    expect((await noViteVariableHoldsKey({ 'src/main.js': `const VITE_X = "${key}";` }, key)).status).toBe('pass');
  });
});

// noBrowserSdk, callsProxyRoute and devProxyConfigured judge the real build run with its form
// submitted, and Vite's resolved config: their cases are variants of lessons/03-backend-proxy
// (tests/exercises/lessons-variants.test.ts), on the local engine.
