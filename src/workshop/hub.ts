// Live fan-out inside the one service process: each room has facilitator and learner streams.
// An event reaches the facilitator's stream right after its row is committed.
import type { ServerResponse } from 'node:http';

export type Audience = 'facilitator' | 'learner';

/** A stream that falls this far behind is closed; it reconnects and catches up from the database. */
const MAX_BUFFERED = 4 * 1024 * 1024;

export interface Subscriber {
  audience: Audience;
  /** For learner streams: whose stream it is (messages to one learner would go only there). */
  learnerId?: number;
  send(type: string, data: unknown, id?: number): void;
}

export function sseSubscriber(res: ServerResponse, audience: Audience, learnerId?: number): Subscriber {
  return {
    audience,
    learnerId,
    send(type, data, id) {
      if (res.writableLength > MAX_BUFFERED) {
        res.destroy();
        return;
      }
      res.write(`event: ${type}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
    },
  };
}

export class Hub {
  #rooms = new Map<number, Set<Subscriber>>();

  subscribe(roomId: number, s: Subscriber): () => void {
    let set = this.#rooms.get(roomId);
    if (!set) this.#rooms.set(roomId, (set = new Set()));
    set.add(s);
    return () => set.delete(s);
  }

  publish(roomId: number, audience: Audience | 'all', type: string, data: unknown, id?: number): void {
    for (const s of this.#rooms.get(roomId) ?? []) if (audience === 'all' || s.audience === audience) s.send(type, data, id);
  }

  count(roomId: number, audience: Audience): number {
    let n = 0;
    for (const s of this.#rooms.get(roomId) ?? []) if (s.audience === audience) n++;
    return n;
  }
}
