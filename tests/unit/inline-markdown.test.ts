import { describe, expect, it } from 'vitest';
import { inlineTokens } from '../../src/utils/inline-markdown.ts';

describe('inlineTokens', () => {
  it('splits `code` and **bold** out of text, never HTML', () => {
    expect(inlineTokens('Add `.env` to **.gitignore**, then <b>run</b>')).toEqual([
      { kind: 'text', text: 'Add ' },
      { kind: 'code', text: '.env' },
      { kind: 'text', text: ' to ' },
      { kind: 'strong', text: '.gitignore' },
      { kind: 'text', text: ', then <b>run</b>' },
    ]);
  });
  it('leaves a lone backtick and plain text as text', () => {
    expect(inlineTokens('a ` b')).toEqual([{ kind: 'text', text: 'a ` b' }]);
    expect(inlineTokens('')).toEqual([]);
  });
});
