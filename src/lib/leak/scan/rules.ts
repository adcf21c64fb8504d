// Rules for real-looking OpenAI keys (the `scan` command), after gitleaks' `openai-api-key` rule
// (cmd/generate/config/rules/openai.go) and secretlint-rule-openai:
//   today:   sk-proj- | sk-svcacct- | sk-admin- | sk-None-  + HALF URL-safe chars + MARKER + HALF
//            gitleaks knows halves of exactly 74 or 58; key lengths change over time (FACTS.md:
//            "about 130 to 170 characters in all"), so any half from HALF_MIN to HALF_MAX counts
//   legacy:  sk- + 20 alphanumerics + MARKER + 20 alphanumerics (user keys, no longer issued)
//   early project keys (2024): sk-proj- (or sk-<project name>-) + 20 + MARKER + 20
// MARKER is base64 of "OpenAI". It is computed here at run time so that this repository never holds
// the literal marker (push protection and partner scanning would flag the repository itself).
// Keys without the marker are reported only in today's exact shape and length, with a separate rule
// id, because that is what a course's planted fake key (or a key whose marker was edited out) looks like.

export const MARKER = btoa('Open' + 'AI').slice(0, 8);

export interface ScanRule {
  id: string;
  /** Plain words for the report. */
  title: string;
  re: RegExp;
  /** Index of the capture group with the random body (for the dummy filters); 0 = whole match. */
  bodyGroups: number[];
}

const B = '(?<![A-Za-z0-9_-])';
const E_NEW = '(?![A-Za-z0-9_-])';
const E_OLD = '(?![A-Za-z0-9])';
/**
 * Each half of today's keys, around the marker: 58 and 74 are the lengths seen so far; the range
 * leaves room on both sides (a 130-170 character key has halves of about 56 to 78) without reaching
 * the short halves of the 2024 and legacy shapes (20) or arbitrary long tokens.
 */
export const HALF_MIN = 40;
export const HALF_MAX = 100;
const LONG = `([A-Za-z0-9_-]{${HALF_MIN},${HALF_MAX}})`;

export const RULES: ScanRule[] = [
  { id: 'openai-project-key', title: 'OpenAI project key', re: new RegExp(`${B}sk-proj-${LONG}${MARKER}${LONG}${E_NEW}`, 'g'), bodyGroups: [1, 2] },
  { id: 'openai-service-account-key', title: 'OpenAI service-account key', re: new RegExp(`${B}sk-svcacct-${LONG}${MARKER}${LONG}${E_NEW}`, 'g'), bodyGroups: [1, 2] },
  { id: 'openai-admin-key', title: 'OpenAI Admin key', re: new RegExp(`${B}sk-admin-${LONG}${MARKER}${LONG}${E_NEW}`, 'g'), bodyGroups: [1, 2] },
  { id: 'openai-user-key', title: 'OpenAI user key', re: new RegExp(`${B}sk-None-${LONG}${MARKER}${LONG}${E_NEW}`, 'g'), bodyGroups: [1, 2] },
  {
    id: 'openai-project-key-2024',
    title: 'OpenAI project key (early 2024 format)',
    re: new RegExp(`${B}sk-(?!ant-)[A-Za-z0-9_-]{1,40}-([A-Za-z0-9]{20})${MARKER}([A-Za-z0-9]{20})${E_OLD}`, 'g'),
    bodyGroups: [1, 2],
  },
  { id: 'openai-legacy-key', title: 'OpenAI legacy user key', re: new RegExp(`${B}sk-([A-Za-z0-9]{20})${MARKER}([A-Za-z0-9]{20})${E_OLD}`, 'g'), bodyGroups: [1, 2] },
  {
    id: 'openai-key-without-marker',
    title: 'OpenAI-shaped key without the usual marker (a course fake key, or an edited real key)',
    re: new RegExp(`${B}sk-(?:proj|svcacct|admin)-([A-Za-z0-9_-]{156}|[A-Za-z0-9_-]{124})${E_NEW}`, 'g'),
    bodyGroups: [1],
  },
];

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

// Long words case-insensitively; short ones only in an exact case, so that a random real key almost
// never trips them (a 4-letter word in any case would hit about 1 key in 1,000).
const PLACEHOLDER_WORDS = /(?:example|placeholder|dummy|sample|redacted|changeme|replace|insert|secret|apikey|api_key|testkey|test_key|qwerty)/i;
const PLACEHOLDER_EXACT = /your[-_]|YOUR|[Yy]our[A-Z]|fake[-_]|FAKE|Fake[A-Z]|[-_]here|HERE[-_]|xxxx/;

/** Why a matched body is not a real key (dummy, placeholder, low entropy), or undefined if it looks real. */
export function dummyReason(body: string): string | undefined {
  if (PLACEHOLDER_WORDS.test(body) || PLACEHOLDER_EXACT.test(body)) return 'placeholder word';
  if (/(.)\1{5,}/.test(body)) return 'a character repeated';
  // Ascending or descending runs (abcdefg, 1234567) do not happen in random keys.
  let run = 1;
  for (let i = 1; i < body.length; i++) {
    const d = body.charCodeAt(i) - body.charCodeAt(i - 1);
    run = d === 1 || d === -1 ? run + 1 : 1;
    if (run >= 6) return 'an alphabet or number sequence';
  }
  const min = body.length >= 100 ? 4.5 : body.length >= 40 ? 4.0 : 3.3;
  if (entropy(body) < min) return 'too little randomness';
  // A short unit repeated (e.g. "a1B2c3D4" x 20) keeps entropy up but has few distinct 4-grams.
  const grams = new Set<string>();
  for (let i = 0; i + 4 <= body.length; i++) grams.add(body.slice(i, i + 4));
  if (grams.size < (body.length - 3) * 0.6) return 'a repeated pattern';
  return undefined;
}

export interface RuleMatch {
  rule: ScanRule;
  start: number;
  end: number;
  text: string;
}

/** Every rule match in `text` that is not a dummy; the first (most specific) rule wins a span. */
export function matchRules(text: string): RuleMatch[] {
  if (!text.includes('sk-')) return [];
  const out: RuleMatch[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = rule.re.exec(text))) {
      const start = m.index;
      const end = start + m[0].length;
      if (out.some((o) => start < o.end && end > o.start)) continue;
      const body = rule.bodyGroups.map((g) => m![g] ?? '').join('');
      if (dummyReason(body)) continue;
      out.push({ rule, start, end, text: m[0] });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
