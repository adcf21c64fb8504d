import { vi } from 'vitest';
import type { CheckSpec } from '../../../src/lib/exercise/define.ts';
import type { CheckRunContext } from '../../../src/lib/exercise/checks/types.ts';
import { generatePlantedKey } from '../../../src/lib/exercise/planted-key.ts';
import type { FakeEngine } from './fake-engine.ts';

export const key = generatePlantedKey();

export function ctxFor(engine: FakeEngine, over: Partial<CheckRunContext> = {}): CheckRunContext {
  return { engine, key, files: {}, signal: new AbortController().signal, timeoutMs: 10_000, builds: new Map(), ...over };
}

export function spec<K extends CheckSpec['kind']>(s: Omit<Extract<CheckSpec, { kind: K }>, 'id' | 'title' | 'hint'> & { kind: K }): Extract<CheckSpec, { kind: K }> {
  return { id: 'c1', title: 'A check', hint: 'Do the thing.', explain: '#why', ...s } as Extract<CheckSpec, { kind: K }>;
}

export { vi };
