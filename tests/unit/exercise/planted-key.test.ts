import { describe, expect, it } from 'vitest';
import { generatePlantedKey, isPlantedKeyShape, maskKey } from '../../../src/lib/exercise/planted-key.ts';
import { plantKey, solutionFiles } from '../../../src/lib/exercise/plant.ts';

describe('planted key', () => {
  it('is sk-proj- + 156 URL-safe characters, fresh each time, without the real-key marker', () => {
    const keys = new Set(Array.from({ length: 200 }, generatePlantedKey));
    expect(keys.size).toBe(200);
    for (const k of keys) {
      expect(k).toMatch(/^sk-proj-[A-Za-z0-9_-]{156}$/);
      expect(k.includes('T3Blbk' + 'FJ')).toBe(false);
      expect(isPlantedKeyShape(k)).toBe(true);
    }
  });
  it('rejects other shapes', () => {
    expect(isPlantedKeyShape('sk-proj-short')).toBe(false);
    expect(isPlantedKeyShape(`sk-proj-${'a'.repeat(70)}${'T3Blbk' + 'FJ'}${'a'.repeat(78)}`)).toBe(false);
    expect(isPlantedKeyShape(`sk-abc-${'a'.repeat(157)}`)).toBe(false);
  });
  it('masks all but a few characters', () => {
    const k = generatePlantedKey();
    const m = maskKey(k);
    expect(m.startsWith('sk-proj-')).toBe(true);
    expect(m).not.toContain(k.slice(10, 30));
  });
});

describe('plant', () => {
  it('replaces every placeholder and keeps other files', () => {
    const out = plantKey({ '.env': 'OPENAI_API_KEY={{PLANTED_KEY}}\nX={{PLANTED_KEY}}', 'a.js': 'x' }, 'K');
    expect(out).toEqual({ '.env': 'OPENAI_API_KEY=K\nX=K', 'a.js': 'x' });
  });
  it('builds the solution from starter, deletes and overlay', () => {
    const out = solutionFiles({ 'a.js': 'bad', 'b.js': 'b', 'old.js': 'o' }, { 'a.js': 'good', 'c.js': 'c' }, ['./old.js']);
    expect(out).toEqual({ 'a.js': 'good', 'b.js': 'b', 'c.js': 'c' });
  });
});
