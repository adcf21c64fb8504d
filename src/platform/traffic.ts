// A seed's past calls, replayed into the ledger at start: each one goes through chatCompletions at
// its own time on the platform clock, so it is admitted, priced and recorded exactly like a live
// call (a scenario's "someone else used your key last night" has real ledger entries and spend).
import { chatCompletions } from './inference.ts';
import type { SeedTraffic } from './seed.ts';
import type { PlatformState } from './state.ts';

export function replayTraffic(state: PlatformState, traffic: SeedTraffic[]): void {
  const calls: Array<{ time: number; t: SeedTraffic }> = [];
  for (const t of traffic) {
    const start = Date.parse(t.startAt);
    const every = (t.everySeconds ?? 60) * 1000;
    for (let i = 0; i < t.requests; i++) calls.push({ time: start + i * every, t });
  }
  // In time order across every stream, as the ledger would have recorded them.
  calls.sort((a, b) => a.time - b.time);
  for (const { time, t } of calls) {
    const key = state.findKey(t.key);
    if (!key) throw new Error(`Seed traffic names the key "${t.key}", which the seed does not have.`);
    const promptTokens = t.promptTokens ?? 500;
    const prompt = 'Summarise this long document for me. '.repeat(Math.ceil((promptTokens * 4) / 37)).slice(0, promptTokens * 4);
    state.at(time, () =>
      chatCompletions(state, {
        authorization: `Bearer ${key.value}`,
        body: { model: t.model, messages: [{ role: 'user', content: prompt }], max_tokens: t.maxTokens ?? 200 },
        source: t.source,
        simulated: true,
      }),
    );
  }
}
