import { describe, expect, it } from 'vitest';
import { ownProjectItems } from '../../src/utils/own-project.ts';

describe('ownProjectItems', () => {
  it('takes the list under "Do this in your own project", joining wrapped lines, up to the next component', () => {
    const mdx = ['## Key points', '- not this', '', '## Do this in your own project', '', '- Scan it: `npx leakproof scan .`', '  then read the findings.', '- [ ] Add `.env` to `.gitignore`.', '', '<FacilitatorNotes>', '- not this either'].join('\n');
    expect(ownProjectItems(mdx)).toEqual(['Scan it: `npx leakproof scan .` then read the findings.', 'Add `.env` to `.gitignore`.']);
  });
  it('gives nothing for a chapter without the section', () => {
    expect(ownProjectItems('## Something else\n- x')).toEqual([]);
  });
});
