// DOM for check results. Display only: everything shown comes from the CheckReport.
import type { CheckReport, CheckResult, Evidence } from '../../lib/exercise/results.ts';
import { inlineTokens } from '../../utils/inline-markdown.ts';
import { formWords } from '../../lib/exercise/checks/evidence.ts';

const LABEL: Record<CheckResult['status'], string> = { pass: 'Passed', fail: 'Failed', skipped: 'Not run', error: 'Could not run' };
const ICON: Record<CheckResult['status'], string> = { pass: '✓', fail: '✗', skipped: '–', error: '!' };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** Hints and messages use `code` and **bold**: shown as such, never as raw backticks. */
export function inline(text: string): Node[] {
  return inlineTokens(text).map((t) => (t.kind === 'text' ? document.createTextNode(t.text) : el(t.kind, {}, t.text)));
}

/** "src/app.js, line 3 · the key base64-encoded": the file, the line and the form, in words. */
export function evidenceText(e: Evidence): string {
  const where = [e.file, e.line ? `line ${e.line}` : ''].filter(Boolean).join(', ');
  return [where, e.form ? `the key ${formWords(e.form)}` : '', e.commit ? `commit ${e.commit.slice(0, 7)}` : '', e.layer ? `layer ${e.layer.slice(0, 19)}` : ''].filter(Boolean).join(' · ');
}

/** The first result the learner should look at: a required failure, else any non-pass. */
export function firstProblem(report: CheckReport): CheckResult | undefined {
  return report.checks.find((c) => c.required !== false && (c.status === 'fail' || c.status === 'error')) ?? report.checks.find((c) => c.required !== false && c.status !== 'pass');
}

export function summary(report: CheckReport): string {
  const total = report.checks.length;
  const passed = report.checks.filter((c) => c.status === 'pass').length;
  if (report.passed) return `All ${total} checks passed. Chapter complete!`;
  const first = firstProblem(report);
  return `${passed} of ${total} checks passed.${first ? ` First problem: ${first.title}.` : ''}`;
}

export function renderResults(report: CheckReport): HTMLElement {
  const list = el('ul', { class: 'lp-check__list', 'aria-label': 'Check results' });
  const first = firstProblem(report);
  for (const c of report.checks) {
    const head = el(
      'span',
      { class: 'lp-check__head' },
      el('span', { class: `lp-check__icon lp-check__icon--${c.status}`, 'aria-hidden': 'true' }, ICON[c.status]),
      el('span', { class: 'lp-check__status' }, `${LABEL[c.status]}: `),
      el('span', { class: 'lp-check__title' }, c.title),
      c.required === false ? el('span', { class: 'lp-check__optional' }, ' (optional)') : '',
    );
    const item = el('li', { class: `lp-check__item lp-check__item--${c.status}`, 'data-check-id': c.id, 'data-status': c.status });
    if (c.status === 'pass') {
      item.append(head);
    } else {
      const details = el('details', {}, el('summary', {}, head));
      if (c === first) details.open = true;
      const body = el('div', { class: 'lp-check__body' }, el('p', { class: 'lp-check__message' }, ...inline(c.message)));
      if (c.evidence?.length) {
        const ev = el('ul', { class: 'lp-check__evidence', 'aria-label': 'Where' });
        for (const e of c.evidence.slice(0, 8)) ev.append(el('li', {}, el('span', {}, evidenceText(e))));
        if (c.evidence.length > 8) ev.append(el('li', {}, `… and ${c.evidence.length - 8} more`));
        body.append(ev);
      }
      if (c.hint) body.append(el('p', { class: 'lp-check__hint' }, el('strong', {}, 'Hint: '), ...inline(c.hint)));
      if (c.explain) body.append(el('p', { class: 'lp-check__explain' }, el('a', { href: c.explain }, 'Why? Read the part of the chapter that explains it')));
      details.append(body);
      item.append(details);
    }
    list.append(item);
  }
  return list;
}
