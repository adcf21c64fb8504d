// INCIDENT.md against the ledger: the figures a learner writes under fixed headings must be the
// ones the platform recorded for the calls nobody on the team made. Pure: unit-tested on its own.
import type { LedgerEntry } from '../../../src/platform/types.ts';

export interface ForeignFigures {
  keyId: string;
  first: number;
  models: string[];
  requests: number;
  costUsd: number;
  addresses: string[];
}

/** The calls on the leaked key that did not come from the team's own machine. */
export function foreignFigures(ledger: LedgerEntry[], keyId: string, isOwn: (source: string) => boolean): ForeignFigures | null {
  const calls = ledger.filter((e) => e.keyId === keyId && !isOwn(e.source));
  if (calls.length === 0) return null;
  return {
    keyId,
    first: Math.min(...calls.map((e) => e.time)),
    models: [...new Set(calls.map((e) => e.model))],
    requests: calls.length,
    costUsd: calls.reduce((s, e) => s + e.costUsd, 0),
    addresses: [...new Set(calls.map((e) => e.source))],
  };
}

export const HEADINGS = ['Leaked key', 'First foreign request', 'Model', 'Foreign requests', 'Cost of foreign requests'] as const;

/** Text under each `## Heading` (comments removed), by lower-cased heading. */
export function sections(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  const text = markdown.replace(/<!--[\s\S]*?-->/g, '');
  const parts = text.split(/^##[ \t]+(.+?)[ \t]*#*[ \t]*$/m);
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i]!.trim().toLowerCase(), (parts[i + 1] ?? '').trim());
  return out;
}

/** A UTC time written as 2026-11-14 02:13 UTC, 2026-11-14T02:13:00Z or 2026-11-14T02:13Z, to the minute. */
export function parseMinute(text: string): number | null {
  const m = /(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|UTC|GMT|\+00:?00)?/i.exec(text);
  if (!m) return null;
  if (!m[4]) return null;
  const t = Date.parse(`${m[1]}T${m[2]!.padStart(2, '0')}:${m[3]}:00Z`);
  return Number.isNaN(t) ? null : t;
}

function firstNumber(text: string): number | null {
  const m = /(\d[\d,]*(?:\.\d+)?)/.exec(text);
  return m ? Number(m[1]!.replace(/,/g, '')) : null;
}

/** Problems with the report, in words a beginner can act on; empty when every figure matches. */
export function reviewIncident(markdown: string | undefined, f: ForeignFigures, redactedKey: string): string[] {
  if (markdown === undefined) return ['INCIDENT.md is missing. Put it back (reset the file) and fill in its sections.'];
  const s = sections(markdown);
  const problems: string[] = [];
  const get = (h: (typeof HEADINGS)[number]) => {
    const v = s.get(h.toLowerCase());
    if (v === undefined) problems.push(`The heading "## ${h}" is missing: keep the headings as they are.`);
    else if (!v) problems.push(`"## ${h}" is empty.`);
    return v || null;
  };
  const key = get('Leaked key');
  if (key && !key.includes(f.keyId) && !key.includes(redactedKey)) problems.push(`"## Leaked key" does not name the leaked key: write its id as the dashboard shows it (key_…).`);
  const first = get('First foreign request');
  if (first) {
    const t = parseMinute(first);
    const want = Math.floor(f.first / 60_000) * 60_000;
    if (t === null) problems.push('"## First foreign request": write a date and time in UTC, such as 2026-01-31 23:59 UTC.');
    else if (t !== want) problems.push('"## First foreign request" is not the time of the first call from an address that is not yours (check the usage by address, and write UTC).');
  }
  const model = get('Model');
  if (model) {
    const missing = f.models.filter((m) => !new RegExp(`(^|[^\\w.-])${m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w.-])`).test(model));
    if (missing.length) problems.push('"## Model" does not name the model the stranger called.');
  }
  const requests = get('Foreign requests');
  if (requests) {
    const n = firstNumber(requests);
    if (n !== f.requests) problems.push('"## Foreign requests" does not match the ledger: count only the calls that did not come from your own server.');
  }
  const cost = get('Cost of foreign requests');
  if (cost) {
    const usd = firstNumber(cost);
    if (usd === null || Math.abs(usd - f.costUsd) > 0.01) problems.push('"## Cost of foreign requests" does not match the ledger (to the cent): add up only the calls you did not make.');
  }
  return problems;
}
