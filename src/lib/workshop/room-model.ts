// The facilitator's picture of a room, built event by event (the page applies each live event in
// O(1); the service builds the same model for the CSV export). Pure: no DOM, no Node.
import type { LearnerRecord, RoomEvent } from '../schemas/workshop.ts';

/** Same check failing this many attempts in a row: stuck. */
export const STUCK_SAME_CHECK_FAILS = 3;
/** This long on a chapter without passing one more check than before: stuck. */
export const STUCK_IDLE_MS = 10 * 60_000;

export type CellStatus = 'not-started' | 'working' | 'passed';
export type StuckReason = 'same-check' | 'no-progress';

export interface Cell {
  learnerId: number;
  chapter: string;
  status: CellStatus;
  /** Check runs on this chapter. */
  attempts: number;
  /** The check that failed most often on this chapter (ties: the one that failed last). */
  mostFailing: string | null;
  mostFailingCount: number;
  /** Checks failing in the latest attempt. */
  failingNow: string[];
  startedAt: number | null;
  lastAt: number | null;
  passedAt: number | null;
  /** The last time the learner passed more checks than ever before on this chapter (or started it). */
  lastProgressAt: number | null;
  bestPassCount: number;
  /** Consecutive failing attempts per check id, for the "same check failing" flag. */
  streaks: Map<string, number>;
  failCounts: Map<string, number>;
}

function emptyCell(learnerId: number, chapter: string): Cell {
  return {
    learnerId,
    chapter,
    status: 'not-started',
    attempts: 0,
    mostFailing: null,
    mostFailingCount: 0,
    failingNow: [],
    startedAt: null,
    lastAt: null,
    passedAt: null,
    lastProgressAt: null,
    bestPassCount: 0,
    streaks: new Map(),
    failCounts: new Map(),
  };
}

export class RoomModel {
  readonly learners = new Map<number, LearnerRecord>();
  readonly chapters = new Set<string>();
  #cells = new Map<string, Cell>();
  /** Each learner's most recent event time and chapter: time on a chapter runs only while it is theirs. */
  #latest = new Map<number, { at: number; chapter: string }>();
  /** Highest event id applied: the live stream resumes after it, and duplicates are ignored. */
  lastEventId = 0;

  addLearner(l: LearnerRecord): void {
    this.learners.set(l.id, l);
  }

  /** Applies one event; returns the cell it changed, or null for an old/duplicate event. */
  apply(e: RoomEvent): Cell | null {
    if (e.id <= this.lastEventId) return null;
    this.lastEventId = e.id;
    const { chapter } = e.event;
    this.chapters.add(chapter);
    const key = `${e.learnerId}\u0000${chapter}`;
    let cell = this.#cells.get(key);
    if (!cell) this.#cells.set(key, (cell = emptyCell(e.learnerId, chapter)));
    const prev = this.#latest.get(e.learnerId);
    if (!prev || prev.at <= e.at) this.#latest.set(e.learnerId, { at: e.at, chapter });
    if (cell.startedAt === null) {
      cell.startedAt = e.at;
      cell.lastProgressAt = e.at;
    }
    cell.lastAt = Math.max(cell.lastAt ?? e.at, e.at);
    if (cell.status === 'not-started') cell.status = 'working';
    if (e.event.kind !== 'check') return cell;

    cell.attempts += 1;
    const failing = e.event.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id);
    const passCount = e.event.checks.filter((c) => c.status === 'pass').length;
    cell.failingNow = e.event.passed ? [] : failing;
    if (passCount > cell.bestPassCount) {
      cell.bestPassCount = passCount;
      cell.lastProgressAt = e.at;
    }
    const streaks = new Map<string, number>();
    for (const id of failing) {
      streaks.set(id, (cell.streaks.get(id) ?? 0) + 1);
      const n = (cell.failCounts.get(id) ?? 0) + 1;
      cell.failCounts.set(id, n);
      if (n >= cell.mostFailingCount) {
        cell.mostFailing = id;
        cell.mostFailingCount = n;
      }
    }
    cell.streaks = streaks;
    if (e.event.passed) {
      cell.status = 'passed';
      cell.passedAt ??= e.at;
      cell.lastProgressAt = e.at;
    }
    return cell;
  }

  cell(learnerId: number, chapter: string): Cell {
    return this.#cells.get(`${learnerId}\u0000${chapter}`) ?? emptyCell(learnerId, chapter);
  }

  /** Why the learner is stuck on the chapter at `now`, or null. A passed chapter is never stuck. */
  stuck(cell: Cell, now: number): StuckReason | null {
    if (cell.status !== 'working') return null;
    for (const n of cell.streaks.values()) if (n >= STUCK_SAME_CHECK_FAILS) return 'same-check';
    const latest = this.#latest.get(cell.learnerId);
    const current = latest?.chapter === cell.chapter && !this.learners.get(cell.learnerId)?.leftAt;
    if (current && cell.lastProgressAt !== null && now - cell.lastProgressAt >= STUCK_IDLE_MS) return 'no-progress';
    return null;
  }

  /** Time spent on the chapter: start to pass; while working, until now if it is the learner's current chapter. */
  timeOnChapter(cell: Cell, now: number): number {
    if (cell.startedAt === null) return 0;
    if (cell.passedAt !== null) return cell.passedAt - cell.startedAt;
    const latest = this.#latest.get(cell.learnerId);
    const current = latest?.chapter === cell.chapter && !this.learners.get(cell.learnerId)?.leftAt;
    return Math.max(0, (current ? now : (cell.lastAt ?? cell.startedAt)) - cell.startedAt);
  }

  sortedChapters(): string[] {
    return [...this.chapters].sort();
  }

  /** Per chapter: how many learners (not yet passed) fail each check in their latest attempt. */
  failingAcrossRoom(chapter: string): Array<{ check: string; learners: number }> {
    const counts = new Map<string, number>();
    for (const l of this.learners.keys()) {
      const c = this.#cells.get(`${l}\u0000${chapter}`);
      if (!c || c.status === 'passed') continue;
      for (const id of c.failingNow) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return [...counts].map(([check, learners]) => ({ check, learners })).sort((a, b) => b.learners - a.learners || a.check.localeCompare(b.check));
  }
}

const CSV_HEADER = ['learner', 'chapter', 'status', 'attempts', 'most_failing_check', 'minutes_on_chapter', 'stuck', 'started_at', 'passed_at', 'left_room'];

/** A cell as CSV: quoted when needed, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula. */
function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per learner × chapter (every chapter anyone in the room started). */
export function roomCsv(model: RoomModel, now: number): string {
  const iso = (t: number | null) => (t === null ? '' : new Date(t).toISOString());
  const rows = [CSV_HEADER.join(',')];
  const learners = [...model.learners.values()].sort((a, b) => a.id - b.id);
  for (const l of learners) {
    for (const chapter of model.sortedChapters()) {
      const c = model.cell(l.id, chapter);
      rows.push(
        [
          l.name,
          chapter,
          c.status,
          String(c.attempts),
          c.mostFailing ?? '',
          (model.timeOnChapter(c, now) / 60_000).toFixed(1),
          model.stuck(c, now) ?? '',
          iso(c.startedAt),
          iso(c.passedAt),
          l.leftAt ? 'yes' : 'no',
        ]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}
