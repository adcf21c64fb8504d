/*
 * <lp-check-panel> — the Check button and results of a chapter's exercise. Lives in the
 * workspace's check-panel slot (CheckPanel.astro) and talks to <lp-workspace> (its element API:
 * getFiles(), plantedKey, flush(), setFiles(), events) and to an ExerciseSession chosen by
 * src/engines/choose.ts (each engine loaded with import() only when chosen).
 * Events (bubble): lp-check-report { chapter, report, durationMs, checksHash }, lp-chapter-passed { chapter }.
 * In a workshop room (components/workshop) the solution stays hidden until the facilitator releases it.
 */
import type { CheckReport } from '../../lib/exercise/results.ts';
import type { EngineProgress } from '../../lib/exercise/engine.ts';
import type { ExerciseSession } from '../../lib/exercise/session.ts';
import type { FileMap } from '../../lib/fs/types.ts';
import { createProgressStore, memoryStorage } from '../../lib/progress/store.ts';
import { plantKey } from '../../lib/exercise/plant.ts';
import { projectDiff } from './line-diff.ts';
import { renderResults, summary } from './render.ts';
import { solutionGate } from '../workshop/gate.ts';

/** Failed attempts before the solution is offered. */
export const ATTEMPTS_BEFORE_SOLUTION = 3;
const OUTPUT_LIMIT = 200_000;

/** Monaco's diff editor, when the workspace's editor bundle offers one (else a plain line diff). */
interface DiffCapableEditor {
  diff?(container: HTMLElement, original: string, modified: string, path: string): { dispose(): void };
}

interface WorkspaceElement extends HTMLElement {
  editor: DiffCapableEditor | null;
  ready: boolean;
  plantedKey: string;
  chapter: string;
  getFiles(): FileMap;
  setFiles(files: FileMap, options?: { undoable?: boolean }): void;
  flush(): boolean;
}

function storage(): Storage | ReturnType<typeof memoryStorage> {
  try {
    localStorage.setItem('__lp_probe__', '1');
    localStorage.removeItem('__lp_probe__');
    return localStorage;
  } catch {
    return memoryStorage();
  }
}

export class LpCheckPanel extends HTMLElement {
  #session: Promise<ExerciseSession> | null = null;
  /** The last progress the engine reported while starting (shown again if Check is pressed meanwhile). */
  #startProgress: EngineProgress | null = null;
  #sessionReady = false;
  #running: AbortController | null = null;
  #store = createProgressStore(storage());
  #kv = storage();
  #output: HTMLPreElement | null = null;
  #diffs: Array<{ dispose(): void }> = [];

  get chapter(): string {
    return this.dataset.chapter ?? '';
  }
  get workspace(): WorkspaceElement | null {
    return this.closest('lp-workspace') as WorkspaceElement | null;
  }
  #q<T extends Element>(sel: string): T {
    return this.querySelector(sel) as T;
  }
  get #failsKey() {
    return `leakproof:v1:check-fails:${this.chapter}`;
  }
  get fails(): number {
    return Number(this.#kv.getItem(this.#failsKey) ?? 0) || 0;
  }
  set fails(n: number) {
    try {
      this.#kv.setItem(this.#failsKey, String(n));
    } catch {}
  }

  connectedCallback() {
    this.#q('[data-lp-check]').addEventListener('click', () => void this.check());
    this.#q('[data-lp-download]').addEventListener('click', () => void this.download());
    this.#q('[data-lp-compare]').addEventListener('click', () => this.#toggleCompare());
    this.#q('[data-lp-apply]').addEventListener('click', () => this.#applySolution());
    // Ctrl/Cmd+Enter anywhere in the workspace (Monaco included: capture phase, before the editor).
    const ws = this.workspace ?? this;
    ws.addEventListener(
      'keydown',
      (e) => {
        const k = e as KeyboardEvent;
        if (k.key === 'Enter' && (k.ctrlKey || k.metaKey) && !k.altKey && !k.shiftKey) {
          k.preventDefault();
          k.stopPropagation();
          void this.check();
        }
      },
      true,
    );
    ws.addEventListener('lp-files-change', (e) => {
      // Reset to starter: stop whatever the last check left running.
      if ((e as CustomEvent).detail?.reason === 'reset') void this.#session?.then((s) => s.stop()).catch(() => {});
    });
    // Start the engine as soon as the learner opens the exercise, not on the first Check: WebContainer
    // boots and esbuild-wasm warms up while they read, and the chapter's mock platform (with its
    // dashboard panel) is there before their first run. A failure here is reported by Check.
    // Deferred to an idle moment so it never competes with the editor's own start-up.
    ws.addEventListener(
      'lp-editor-ready',
      () => {
        const start = () => void this.#session_().catch(() => {});
        const idle = () => ('requestIdleCallback' in globalThis ? requestIdleCallback(start, { timeout: 2000 }) : start());
        setTimeout(idle, 1000);
      },
      { once: true },
    );
    this.#mountOutput();
    if (this.#store.state(this.chapter) === 'passed') this.#setSummary('You passed this chapter. Press Check to run the checks again.', 'passed');
    this.#updateSolutionOffer();
    addEventListener('lp-workshop-change', () => this.#updateSolutionOffer());
  }

  disconnectedCallback() {
    void this.#session?.then((s) => s.dispose()).catch(() => {});
  }

  #mountOutput() {
    const slot = this.workspace?.querySelector('[data-slot="output-panel"]');
    const host = slot ?? this;
    const details = document.createElement('details');
    details.className = 'lp-output';
    details.innerHTML = '<summary>Output of the build and the server</summary><pre class="lp-output__text" tabindex="0" aria-label="Command output"></pre>';
    host.append(details);
    this.#output = details.querySelector('pre');
  }

  #appendOutput(text: string) {
    const pre = this.#output;
    if (!pre) return;
    let t = (pre.textContent ?? '') + text;
    if (t.length > OUTPUT_LIMIT) t = `[earlier output dropped]\n${t.slice(-OUTPUT_LIMIT)}`;
    pre.textContent = t;
    pre.scrollTop = pre.scrollHeight;
  }

  #setProgress(p: EngineProgress | null) {
    const bar = this.#q<HTMLProgressElement>('[data-lp-progress]');
    const label = this.#q<HTMLElement>('[data-lp-progress-label]');
    bar.hidden = !p;
    if (p) bar.value = Math.max(0, Math.min(1, p.value));
    label.textContent = p?.text ?? '';
  }

  #setSummary(text: string, state: 'passed' | 'failed' | 'error' | 'idle') {
    const s = this.#q<HTMLElement>('[data-lp-summary]');
    s.textContent = text;
    s.dataset.state = state;
  }

  #session_(): Promise<ExerciseSession> {
    this.#session ??= (async () => {
      const onProgress = (p: EngineProgress) => {
        if (!this.#sessionReady) this.#startProgress = p;
        this.#setProgress(p);
      };
      const { chooseSession, ENGINE_LABELS } = await import('../../engines/choose.ts');
      const session = await chooseSession(this.chapter, { onProgress, key: this.workspace?.plantedKey || undefined });
      this.#sessionReady = true;
      this.#startProgress = null;
      // Started early (on opening the exercise): hide the start-up progress unless a check is running.
      if (!this.#running) this.#setProgress(null);
      this.#q<HTMLElement>('[data-lp-engine]').textContent = `Runs on: ${ENGINE_LABELS[session.engine]}`;
      const reason = this.#q<HTMLElement>('[data-lp-engine-reason]');
      reason.textContent = session.reason ?? '';
      reason.hidden = !session.reason;
      session.on('progress', onProgress);
      session.on('output', (o) => this.#appendOutput(o.text));
      return session;
    })().catch((e) => {
      this.#session = null;
      throw e;
    });
    return this.#session;
  }

  /** Runs the checks on the learner's files. Resolves with the report (null when it could not run). */
  async check(): Promise<CheckReport | null> {
    const ws = this.workspace;
    if (!ws?.ready) return null;
    this.#running?.abort();
    const ac = new AbortController();
    this.#running = ac;
    const button = this.#q<HTMLButtonElement>('[data-lp-check]');
    button.disabled = true;
    this.setAttribute('aria-busy', 'true');
    this.#setSummary('Checking…', 'idle');
    this.#setProgress((!this.#sessionReady && this.#startProgress) || { value: 0, text: 'starting' });
    if (this.#output) this.#output.textContent = '';
    const started = performance.now();
    try {
      ws.flush();
      const session = await this.#session_();
      const report = await session.check(ws.getFiles(), ws.plantedKey, ac.signal);
      if (ac.signal.aborted) return null;
      this.#show(report, performance.now() - started);
      return report;
    } catch (e) {
      if (ac.signal.aborted) return null;
      this.#q('[data-lp-results]').replaceChildren();
      this.#setSummary(`The check could not run: ${(e as Error).message}`, 'error');
      return null;
    } finally {
      if (this.#running === ac) {
        this.#running = null;
        button.disabled = false;
        this.removeAttribute('aria-busy');
        this.#setProgress(null);
      }
    }
  }

  #show(report: CheckReport, durationMs: number) {
    this.#q('[data-lp-results]').replaceChildren(renderResults(report));
    this.#setSummary(summary(report), report.passed ? 'passed' : 'failed');
    if (report.passed) {
      // Kept for the completion record on the end page: when, where, and against which checks.
      this.#store.markPassed(this.chapter, { at: new Date().toISOString(), engine: report.engine, checksHash: this.dataset.checksHash || null });
      this.fails = 0;
      this.dispatchEvent(new CustomEvent('lp-chapter-passed', { bubbles: true, detail: { chapter: this.chapter } }));
    } else {
      this.fails = this.fails + 1;
    }
    this.#updateSolutionOffer();
    this.dispatchEvent(new CustomEvent('lp-check-report', { bubbles: true, detail: { chapter: this.chapter, report, durationMs, checksHash: this.dataset.checksHash || null } }));
  }

  #solutionFiles: Promise<FileMap> | null = null;

  /** The solved project (fetched once, when first asked for), with this attempt's key planted. */
  async #solution(): Promise<FileMap> {
    const url = this.dataset.solutionUrl;
    if (!url) return {};
    this.#solutionFiles ??= fetch(url).then((r) => {
      if (!r.ok) throw new Error(`the solution could not be loaded (${r.status})`);
      return r.json() as Promise<FileMap>;
    });
    this.#solutionFiles.catch(() => (this.#solutionFiles = null));
    return plantKey(await this.#solutionFiles, this.workspace?.plantedKey ?? '');
  }

  #updateSolutionOffer() {
    const offer = this.#q<HTMLElement>('[data-lp-solution-offer]');
    const hasSolution = Boolean(this.dataset.solutionUrl);
    // In a workshop room the facilitator decides when the solution appears (for everyone at once).
    const gate = solutionGate(this.chapter);
    offer.hidden = !hasSolution || (gate === 'no-room' ? this.fails < ATTEMPTS_BEFORE_SOLUTION : gate === 'hidden');
  }

  async #toggleCompare() {
    const box = this.#q<HTMLElement>('[data-lp-diff]');
    const button = this.#q<HTMLButtonElement>('[data-lp-compare]');
    if (!box.hidden) {
      box.hidden = true;
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    let solution: FileMap;
    try {
      solution = await this.#solution();
    } catch (e) {
      this.#setSummary(`Sorry: ${(e as Error).message}. Check your connection and try again.`, 'error');
      return;
    }
    const changes = projectDiff(this.workspace?.getFiles() ?? {}, solution);
    box.replaceChildren();
    const frag = document.createDocumentFragment();
    if (!changes.length) frag.append(Object.assign(document.createElement('p'), { textContent: 'Your files already match the solution.' }));
    for (const d of this.#diffs.splice(0)) d.dispose();
    const editor = this.workspace?.editor;
    const mine = this.workspace?.getFiles() ?? {};
    for (const c of changes) {
      const h = document.createElement('h4');
      h.textContent = `${c.path} (${c.kind === 'added' ? 'new in the solution' : c.kind === 'removed' ? 'not in the solution' : 'changed'})`;
      if (editor?.diff) {
        const box = document.createElement('div');
        box.className = 'lp-diff lp-diff--monaco';
        frag.append(h, box);
        queueMicrotask(() => this.#diffs.push(editor.diff!(box, mine[c.path] ?? '', solution[c.path] ?? '', c.path)));
        continue;
      }
      const pre = document.createElement('pre');
      pre.className = 'lp-diff';
      for (const l of c.lines) {
        const line = document.createElement(l.op === '+' ? 'ins' : l.op === '-' ? 'del' : 'span');
        line.textContent = `${l.op} ${l.text}\n`;
        pre.append(line);
      }
      frag.append(h, pre);
    }
    box.replaceChildren(frag);
    box.hidden = false;
    button.setAttribute('aria-expanded', 'true');
  }

  async #applySolution() {
    let solution: FileMap;
    try {
      solution = await this.#solution();
    } catch (e) {
      this.#setSummary(`Sorry: ${(e as Error).message}. Check your connection and try again.`, 'error');
      return;
    }
    // Undoable: the workspace keeps the learner's files for its Undo button.
    this.workspace?.setFiles(solution, { undoable: true });
    this.#setSummary('The solution is in the editor. "Undo" brings your own code back.', 'idle');
    this.#q<HTMLElement>('[data-lp-diff]').hidden = true;
  }

  async download() {
    const ws = this.workspace;
    if (!ws) return;
    ws.flush();
    const { zipSync, strToU8 } = await import('fflate');
    const entries: Record<string, Uint8Array> = {};
    for (const [path, text] of Object.entries(ws.getFiles())) entries[`${this.chapter}/${path}`] = strToU8(text);
    const blob = new Blob([zipSync(entries, { level: 6 })], { type: 'application/zip' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${this.chapter}.zip`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }
}

if (!customElements.get('lp-check-panel')) customElements.define('lp-check-panel', LpCheckPanel);
