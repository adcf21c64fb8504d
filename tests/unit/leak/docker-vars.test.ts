// Variable substitution as Docker (Dockerfile) and Compose do it, and .env files as Compose reads them.
import { describe, it, expect } from 'vitest';
import { expandVars, parseDotenv } from '../../../src/lib/leak/targets/docker-vars.ts';

const vars = new Map<string, string | undefined>([
  ['A', 'x'],
  ['EMPTY', ''],
]);

describe('expandVars', () => {
  const cases: Array<[string, string]> = [
    ['$A/b', 'x/b'],
    ['${A}b', 'xb'],
    ['${MISSING}', ''],
    ['${MISSING:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${A:+set}', 'set'],
    ['${MISSING:+set}', ''],
    ['${MISSING:-${A}}', 'x'],
    ['\\$A', '$A'],
    ['cost $5', 'cost $5'],
  ];
  for (const [input, output] of cases) it(`${input} → "${output}"`, () => expect(expandVars(input, vars)).toBe(output));

  it('Compose writes a literal dollar as $$', () => {
    expect(expandVars('$$A ${A}', vars, '$')).toBe('$A x');
  });
});

describe('parseDotenv', () => {
  it('reads KEY=value lines, quotes, export and comments', () => {
    const env = parseDotenv('# c\nA=1\nexport B="two words"\nC=\'3\'\nD=4 # note\n\nnot a line\n');
    expect([...env]).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', '3'],
      ['D', '4'],
    ]);
  });
});
