import { describe, expect, it } from 'vitest';
import { triggerMisses } from '../../../src/lib/exercise/checks/workflow-triggers.ts';

describe('triggerMisses', () => {
  it('names a trigger that a paths, paths-ignore or tags-only filter keeps from some commits', () => {
    expect(triggerMisses({ push: { paths: ['src/**'] } }, 'push')).toMatch(/only when src\/\*\* change/);
    expect(triggerMisses({ pull_request: { paths: '*' } }, 'pull_request')).toMatch(/paths:/);
    expect(triggerMisses({ pull_request_target: { 'paths-ignore': ['docs/**'] } }, 'pull_request_target')).toMatch(/paths-ignore/);
    expect(triggerMisses({ push: { tags: ['v*'] } }, 'push')).toMatch(/tag pushes only/);
  });
  it('lets every unfiltered or whole-tree trigger through, and branch filters', () => {
    expect(triggerMisses(['push', 'pull_request'], 'push')).toBeUndefined();
    expect(triggerMisses({ push: null, pull_request: null }, 'pull_request')).toBeUndefined();
    expect(triggerMisses({ push: { paths: ['**'] } }, 'push')).toBeUndefined();
    expect(triggerMisses({ push: { branches: [main], tags: ['v*'] } }, 'push')).toBeUndefined();
    expect(triggerMisses({ pull_request: { branches: ['main'] } }, 'pull_request')).toBeUndefined();
  });
});
const main = 'main';
