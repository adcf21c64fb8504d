// Writes a room's check results in batches: whatever arrived while the previous batch was being
// committed goes into the next INSERT (one statement, one transaction). One commit (one disk flush on PostgreSQL) then serves
// many learners, and ids follow commit order, so a stream resuming "after id N" never skips a row
// that committed late with a smaller id.
import type { LearnerEvent, RoomEvent } from '../lib/schemas/workshop.ts';
import type { Db } from './db/index.ts';
import { insertEvents, type Learner } from './store.ts';

interface Pending {
  learner: Learner;
  event: LearnerEvent;
  resolve(e: RoomEvent): void;
  reject(e: unknown): void;
}

export class EventBatcher {
  #pending: Pending[] = [];
  #running = false;
  readonly #db: Db;
  /** Called with each stored event, in id order, right after its batch commits. */
  readonly #onStored: (e: RoomEvent) => void;

  constructor(db: Db, onStored: (e: RoomEvent) => void) {
    this.#db = db;
    this.#onStored = onStored;
  }

  add(learner: Learner, event: LearnerEvent): Promise<RoomEvent> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ learner, event, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#pending.length) {
        const batch = this.#pending.splice(0);
        try {
          const stored = await insertEvents(this.#db, batch);
          stored.forEach((e, i) => {
            this.#onStored(e);
            batch[i]!.resolve(e);
          });
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
