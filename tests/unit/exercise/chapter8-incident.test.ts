// Chapter 8's INCIDENT.md review: figures under fixed headings against the ledger's foreign calls.
import { describe, expect, it } from 'vitest';
import { foreignFigures, parseMinute, reviewIncident } from '../../../lessons/08-leak-response/exercise/incident.ts';
import type { LedgerEntry } from '../../../src/platform/types.ts';

const at = (iso: string) => Date.parse(iso);
const call = (model: string, source: string, time: string, costUsd: number, keyId = 'key_weekend_app'): LedgerEntry => ({
  seq: 0, time: at(time), keyId, keyMasked: 'sk-****', projectId: 'proj_weekend', model, endpoint: '/v1/chat/completions', inputTokens: 1, outputTokens: 1, costUsd, source, stream: false, simulated: true,
});
const ledger = [
  call('gpt-4o-mini', '127.0.0.1', '2026-11-13T10:00:00Z', 0.001),
  call('gpt-4o', '203.0.113.77', '2026-11-14T02:13:40Z', 3.5),
  call('gpt-4o', '198.51.100.23', '2026-11-14T03:05:20Z', 3.25),
  call('gpt-4o', '203.0.113.77', '2026-11-14T02:14:20Z', 3.5),
  call('gpt-4o-mini', '127.0.0.1', '2026-11-14T09:40:00Z', 0.001, 'key_new'),
];
const figures = foreignFigures(ledger, 'key_weekend_app', (s) => s === '127.0.0.1')!;

const report = (o: Partial<Record<'key' | 'first' | 'model' | 'requests' | 'cost', string>> = {}) => `# Incident

## Leaked key
${o.key ?? 'key_weekend_app'}

## First foreign request
<!-- a comment the learner left -->
${o.first ?? '2026-11-14 02:13 UTC'}

## Model
${o.model ?? 'gpt-4o'}

## Foreign requests
${o.requests ?? '3'}

## Cost of foreign requests
${o.cost ?? '$10.25'}
`;

describe('chapter 8: INCIDENT.md against the ledger', () => {
  it('counts only the leaked key\'s calls from other addresses', () => {
    expect(figures).toMatchObject({ requests: 3, models: ['gpt-4o'], costUsd: 10.25, first: at('2026-11-14T02:13:40Z') });
  });

  it('accepts matching figures in several spellings', () => {
    expect(reviewIncident(report(), figures, 'sk-proj-...abcd')).toEqual([]);
    expect(reviewIncident(report({ first: '2026-11-14T02:13:40Z', cost: 'USD 10.25 (about)', requests: '3 calls', key: 'sk-proj-...abcd' }), figures, 'sk-proj-...abcd')).toEqual([]);
  });

  it('catches each wrong figure, with the heading named', () => {
    const wrong = (o: Parameters<typeof report>[0], heading: string) => expect(reviewIncident(report(o), figures, 'sk-proj-...abcd').join('\n')).toContain(heading);
    wrong({ key: 'the weekend key' }, 'Leaked key');
    wrong({ first: '2026-11-14 03:13' }, 'First foreign request'); // no zone
    wrong({ first: '2026-11-14 03:13 UTC' }, 'First foreign request'); // local time written as UTC
    wrong({ model: 'gpt-4o-mini' }, 'Model');
    wrong({ requests: '5' }, 'Foreign requests'); // own calls added
    wrong({ cost: '$10.30' }, 'Cost of foreign requests');
  });

  it('says when a heading is missing or empty', () => {
    expect(reviewIncident(report().replace('## Model', '## Models used'), figures, 'x').join('\n')).toContain('"## Model" is missing');
    expect(reviewIncident(report({ cost: '<!-- todo -->' }), figures, 'x').join('\n')).toContain('"## Cost of foreign requests" is empty');
    expect(reviewIncident(undefined, figures, 'x')[0]).toContain('INCIDENT.md is missing');
  });

  it('reads times only with a UTC zone', () => {
    expect(parseMinute('2026-11-14 02:13 UTC')).toBe(at('2026-11-14T02:13:00Z'));
    expect(parseMinute('2026-11-14T2:13Z')).toBe(at('2026-11-14T02:13:00Z'));
    expect(parseMinute('2026-11-14 02:13')).toBeNull();
  });
});
