/*
 * <lp-course-end> — the end page's results and completion record. Reads each chapter's pass
 * (progress store: when, engine, checks hash), shows it per chapter, and issues the record
 * (src/lib/record) as a JSON download and as a printable block.
 */
import { createProgressStore, memoryStorage } from '../../lib/progress/store.ts';
// issue.ts only: the page does not need zod (the manifest is the build's own JSON).
import { issueRecord } from '../../lib/record/issue.ts';
import type { CompletionRecord, CourseManifest, PassedChapter } from '../../lib/record/schema.ts';

const ENGINES = { local: 'your computer (local engine)', webcontainer: 'WebContainer', 'in-browser': 'the browser only' } as const;
type EngineName = keyof typeof ENGINES;
const isEngine = (e: string): e is EngineName => e in ENGINES;

function openStore() {
  try {
    return createProgressStore(localStorage);
  } catch {
    return createProgressStore(memoryStorage());
  }
}

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export class LpCourseEnd extends HTMLElement {
  #manifest!: CourseManifest;
  #passed: PassedChapter[] = [];

  connectedCallback() {
    this.#manifest = JSON.parse(this.querySelector('script[data-lp-manifest]')!.textContent!) as CourseManifest;
    const store = openStore();
    const withExercise = this.#manifest.chapters.filter((c) => c.checksHash);
    for (const c of withExercise) {
      const card = this.querySelector<HTMLElement>(`[data-chapter="${CSS.escape(c.id)}"]`)!;
      const result = card.querySelector<HTMLElement>('[data-lp-result]')!;
      const state = store.state(c.id);
      const info = store.passInfo(c.id);
      result.dataset.state = state;
      if (state === 'passed' && info && isEngine(info.engine) && info.checksHash) {
        this.#passed.push({ id: c.id, title: c.title, passedAt: info.at, engine: info.engine, checksHash: info.checksHash });
        const changed = info.checksHash !== c.checksHash ? ' The chapter has changed since: pass it again to update your record.' : '';
        result.textContent = `Passed ${when(info.at)} on ${ENGINES[info.engine]}.${changed}`;
      } else if (state === 'passed') {
        result.textContent = 'Passed (before this course kept the details): check it once more to put it on your record.';
      } else {
        result.textContent = state === 'in-progress' ? 'In progress: not passed yet' : 'Not started';
      }
    }
    const tally = this.querySelector<HTMLElement>('[data-lp-tally]')!;
    tally.textContent = `You passed ${this.#passed.length} of ${withExercise.length} chapters with an exercise.`;
    this.querySelector('[data-lp-download-record]')!.addEventListener('click', () => void this.download());
    this.querySelector('[data-lp-print]')!.addEventListener('click', () => void this.print());
  }

  /** The record as it would be issued now (for tests and the buttons). */
  async record(): Promise<CompletionRecord> {
    const learner = this.querySelector<HTMLInputElement>('[data-lp-learner]')!.value;
    return issueRecord({ course: this.#manifest, chapters: this.#passed, learner });
  }

  async #prepare(): Promise<CompletionRecord | null> {
    const status = this.querySelector<HTMLElement>('[data-lp-record-status]')!;
    if (this.#passed.length === 0) {
      status.textContent = 'Pass at least one chapter first: the record lists the chapters you passed.';
      return null;
    }
    try {
      const record = await this.record();
      this.#show(record);
      status.textContent = `Record issued with ${record.chapters.length} chapter${record.chapters.length === 1 ? '' : 's'}.`;
      return record;
    } catch (e) {
      status.textContent = `The record could not be made: ${(e as Error).message}`;
      return null;
    }
  }

  async download() {
    const record = await this.#prepare();
    if (!record) return;
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(record, null, 2)}\n`], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: 'leakproof-record.json' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async print() {
    if (await this.#prepare()) window.print();
  }

  #show(record: CompletionRecord) {
    const view = this.querySelector<HTMLElement>('[data-lp-record-view]')!;
    view.querySelector('[data-lp-record-learner]')!.textContent = record.learner ? `Learner: ${record.learner}` : 'Learner: (no name given)';
    const rows = record.chapters.map((c) => {
      const tr = document.createElement('tr');
      for (const text of [c.title, when(c.passedAt), ENGINES[c.engine]]) tr.append(Object.assign(document.createElement('td'), { textContent: text }));
      return tr;
    });
    view.querySelector('[data-lp-record-rows]')!.replaceChildren(...rows);
    view.querySelector('[data-lp-record-issued]')!.textContent = when(record.issuedAt);
    view.querySelector('[data-lp-record-seal]')!.textContent = record.seal;
    view.hidden = false;
  }
}

customElements.define('lp-course-end', LpCourseEnd);
