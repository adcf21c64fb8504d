import { describe, expect, it } from 'vitest';
import { clientEnv, expandEnv, importMetaEnvDefines, loadEnv, parseDotenv, replaceHtmlEnv } from '../../../src/engines/in-browser/vite-env.ts';

describe('parseDotenv (dotenv grammar, as Vite reads .env)', () => {
  it.each([
    ['plain', 'A=1', { A: '1' }],
    ['export prefix and spaces', 'export A = hello  ', { A: 'hello' }],
    ['comment after value', 'A=abc # note', { A: 'abc' }],
    ['hash inside quotes kept', 'A="abc # not a comment"', { A: 'abc # not a comment' }],
    ['single quotes are literal', "A='x\\ny'", { A: 'x\\ny' }],
    ['double quotes expand \\n', 'A="x\\ny"', { A: 'x\ny' }],
    ['CRLF lines', 'A=1\r\nB=2\r\n', { A: '1', B: '2' }],
    ['empty value', 'A=', { A: '' }],
    ['comment lines ignored', '# A=1\nB=2', { B: '2' }],
    ['later line wins', 'A=1\nA=2', { A: '2' }],
  ])('%s', (_name, src, want) => {
    expect(parseDotenv(src)).toEqual(want);
  });
});

describe('expandEnv (dotenv-expand)', () => {
  it('expands ${X}, $X, defaults, and keeps escaped dollars', () => {
    expect(expandEnv({ A: 'x', B: '${A}-$A', C: '${MISSING:-fb}', D: '\\$A' })).toEqual({ A: 'x', B: 'x-x', C: 'fb', D: '$A' });
  });
  it('does not loop on self reference', () => {
    expect(expandEnv({ A: '${A}' })).toEqual({ A: '' });
  });
});

describe('loadEnv', () => {
  const files: Record<string, string> = {
    '.env': 'VITE_A=base\nVITE_B=base\nSECRET=s\n',
    '.env.local': 'VITE_B=local\n',
    '.env.production': 'VITE_C=prod\n',
    '.env.staging': 'VITE_C=staging\n',
    '.env.production.local': 'VITE_D=prodlocal\n',
  };
  const read = (p: string) => files[p];

  it('reads .env, .env.local, .env.[mode], .env.[mode].local with the later winning', () => {
    const env = loadEnv(read, 'production');
    expect(env.files).toEqual(['.env', '.env.local', '.env.production', '.env.production.local']);
    expect(env.exposed).toEqual({ VITE_A: 'base', VITE_B: 'local', VITE_C: 'prod', VITE_D: 'prodlocal' });
  });
  it('never exposes a variable without the prefix', () => {
    const env = loadEnv(read, 'production');
    expect(env.all.SECRET).toBe('s');
    expect(env.exposed).not.toHaveProperty('SECRET');
  });
  it('uses the mode files of another mode', () => {
    expect(loadEnv(read, 'staging').exposed.VITE_C).toBe('staging');
  });
  it('honours custom prefixes and refuses an empty one', () => {
    expect(loadEnv(() => 'APP_X=1\nVITE_Y=2', 'production', ['APP_']).exposed).toEqual({ APP_X: '1' });
    expect(() => loadEnv(read, 'production', [''])).toThrow(/must not be ""/);
    expect(() => loadEnv(read, 'local')).toThrow(/conflicts/);
  });
});

describe('import.meta.env defines', () => {
  it('maps each exposed key to its JSON literal and hidden names to undefined', () => {
    const env = clientEnv({ VITE_K: 'v' }, 'production', '/');
    const d = importMetaEnvDefines(env, ['SECRET', 'VITE_K']);
    expect(d['import.meta.env.VITE_K']).toBe('"v"');
    expect(d['import.meta.env.MODE']).toBe('"production"');
    expect(d['import.meta.env.PROD']).toBe('true');
    expect(d['import.meta.env.DEV']).toBe('false');
    expect(d['import.meta.env.SECRET']).toBe('undefined');
    expect(JSON.parse(d['import.meta.env']!)).toEqual({ BASE_URL: '/', MODE: 'production', DEV: false, PROD: true, SSR: false, VITE_K: 'v' });
  });
  it('replaces %NAME% in index.html only for known names', () => {
    expect(replaceHtmlEnv('<title>%VITE_T% %SECRET%</title>', { VITE_T: 'Hi' })).toBe('<title>Hi %SECRET%</title>');
  });
});
