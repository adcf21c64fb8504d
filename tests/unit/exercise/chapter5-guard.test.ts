// Chapter 5's helpers: the workflow's triggers in every YAML form, and the real-shaped key the
// commit guard stages (built at run time: the marker is never stored in this repository).
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { triggers } from '../../../lessons/05-detection-tools/exercise/workflow.ts';
import { realShapedKey } from '../../../lessons/08-leak-response/exercise/commit-guard.ts';

describe('chapter 5: workflow triggers', () => {
  it('reads on: as a string, a list and a map (YAML 1.2: `on` stays a string key)', () => {
    expect([...triggers(parse('on: push').on)]).toEqual(['push']);
    expect([...triggers(parse('on: [push, pull_request]').on)]).toEqual(['push', 'pull_request']);
    expect([...triggers(parse('on:\n  push:\n  pull_request:\n    branches: [main]\n').on)]).toEqual(['push', 'pull_request']);
    expect([...triggers(undefined)]).toEqual([]);
  });
});

describe('commit guard: the real-shaped key', () => {
  it('has the real shape: prefix, 74 characters, the marker, 74 more', () => {
    const marker = 'T3Blbk' + 'FJ';
    const key = realShapedKey();
    expect(key).toMatch(new RegExp(`^sk-proj-[A-Za-z0-9_-]{74}${marker}[A-Za-z0-9_-]{74}$`));
    expect(realShapedKey()).not.toBe(key);
  });
});

describe('git checks off the local engine', () => {
  it('say "needs a runtime" (skipped, never passed) and run no command', async () => {
    const { FakeEngine } = await import('./fake-engine.ts');
    const { guardBlocksKeys } = await import('../../../lessons/08-leak-response/exercise/commit-guard.ts');
    const { historyIsClean } = await import('../../../lessons/08-leak-response/exercise/history.ts');
    const engine = new FakeEngine({ 'package.json': '{}' }, { processes: true, servers: true });
    const ctx = { engine, key: 'sk-proj-x', files: {} };
    for (const judge of [guardBlocksKeys, historyIsClean]) {
      const r = await judge(ctx);
      expect(r.status).toBe('skipped');
      expect(r.message).toContain('needs a runtime');
    }
    expect(engine.commands).toEqual([]);
  });
});
