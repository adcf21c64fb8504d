// The platform's modules import each other in one direction only (route types live in route.ts,
// not in server.ts): a cycle would make load order matter and lets changes ripple both ways.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../../src/platform');

function imports(file: string): string[] {
  const text = readFileSync(join(dir, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'\.\/([^']+)'/gms)].map((m) => m[1]!);
}

function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('src/platform imports', () => {
  const graph = new Map(readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => [f, imports(f)] as const));

  it('reads the imports it checks', () => {
    expect(graph.get('server.ts')).toContain('admin.ts');
  });

  it('has no import cycle (type imports included)', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it('finds a cycle when there is one', () => {
    expect(findCycle(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']]]))).toEqual(['a.ts', 'b.ts', 'a.ts']);
  });
});
