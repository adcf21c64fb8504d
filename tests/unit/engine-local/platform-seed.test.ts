import { describe, expect, it } from 'vitest';
import { platformSeed } from '../../../src/engines/local/platform.ts';

describe('platformSeed', () => {
  it('registers the planted key as an active project key by default', () => {
    expect(platformSeed({ chapter: 'x', checks: [] }, 'sk-proj-K')).toMatchObject({ keys: [{ value: 'sk-proj-K', status: 'active', kind: 'project' }] });
  });
  it("fills {{PLANTED_KEY}} into a chapter's own seed", () => {
    const seed = platformSeed({ chapter: 'x', checks: [], platformSeed: { projects: [{ id: 'p', name: 'P', spendLimitUsd: 1 }], keys: [{ value: '{{PLANTED_KEY}}', kind: 'project', scopes: ['model.request'] }] } }, 'sk-proj-K');
    expect(seed).toEqual({ projects: [{ id: 'p', name: 'P', spendLimitUsd: 1 }], keys: [{ value: 'sk-proj-K', kind: 'project', scopes: ['model.request'] }] });
  });
});
