import { describe, expect, it } from 'vitest';
import { parseSeed } from '../../../src/platform/index.ts';

const good = {
  projects: [{ id: 'proj_course', name: 'Course', allowedModels: ['gpt-4o-mini'], spendLimitUsd: 0 }],
  keys: [
    { value: 'sk-proj-abc', projectId: 'proj_course', kind: 'project', status: 'active', scopes: ['model.request'], expiresAt: '2026-12-31T00:00:00Z' },
    { value: 'sk-admin-abc', kind: 'admin' },
  ],
};

describe('parseSeed', () => {
  it('accepts the documented shape', () => {
    expect(parseSeed(good)).toEqual(good);
    expect(parseSeed({})).toEqual({ projects: [], keys: [] });
  });

  it.each([
    [null, /expected a JSON object/],
    [[], /expected a JSON object/],
    [{ projects: 'x' }, /^Invalid platform seed: projects: .*Fix: give a list of projects/],
    [{ projects: [{ id: 'p' }] }, /projects\[0\]\.name: .*Fix: use a non-empty display name/],
    [{ projects: [{ id: 'p', name: 'P', spendLimitUsd: -1 }] }, /projects\[0\]\.spendLimitUsd: .*0 refuses the first call/],
    [{ projects: [{ id: 'p', name: 'P', spendlimitUsd: 5 }] }, /projects\[0\]: unknown field "spendlimitUsd"\. Known fields here: id, name, allowedModels, spendLimitUsd/],
    [{ projects: [{ id: 'p', name: 'P', allowedModels: 'gpt-4o' }] }, /projects\[0\]\.allowedModels: .*list of model ids/],
    [{ projects: [{ id: 'p', name: 'P' }], keys: [{ value: 'k', kind: 'user' }] }, /keys\[0\]\.kind: .*Fix: use "project", "service_account" or "admin"/],
    [{ projects: [{ id: 'p', name: 'P' }], keys: [{ kind: 'project' }] }, /keys\[0\]\.value: .*Fix: put the whole key string/],
    [{ projects: [{ id: 'p', name: 'P' }], keys: [{ value: 'has space', kind: 'project' }] }, /keys\[0\]\.value/],
    [{ projects: [{ id: 'p', name: 'P' }], keys: [{ value: 'k', kind: 'project', status: 'disabled' }] }, /keys\[0\]\.status: .*"active" or "revoked"/],
    [{ projects: [{ id: 'p', name: 'P' }], keys: [{ value: 'k', kind: 'project', expiresAt: 'tomorrow' }] }, /keys\[0\]\.expiresAt: .*ISO date/],
    [{ projects: [{ id: 'p', name: 'P' }], keys: [{ value: 'k', kind: 'project', projectId: 'q' }] }, /keys\[0\]\.projectId: no project with id "q"/],
    [{ keys: [{ value: 'k', kind: 'project' }] }, /keys\[0\]\.projectId: a project key needs a project/],
    [{ projects: [{ id: 'p', name: 'P' }, { id: 'p', name: 'Q' }] }, /projects\[1\]\.id: duplicate project id "p"/],
    [{ projects: [{ id: 'p', name: 'P' }], keys: [{ value: 'k', kind: 'project' }, { value: 'k', kind: 'project' }] }, /keys\[1\]\.value: the same key value appears twice/],
    [{ projects: [{ id: 'p', name: 'P', ipAllowlist: ['example.com'] }] }, /projects\[0\]\.ipAllowlist\[0\]: .*IPv4 CIDR ranges/],
    [{ projects: [], keys: [], extra: 1 }, /\(top level\): unknown field "extra"/],
  ])('rejects %j with a message naming the field', (input, message) => {
    expect(() => parseSeed(input)).toThrow(message);
  });
});
