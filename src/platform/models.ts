// The model catalog the mock platform serves, with a price per model so spend adds up.
// Prices are USD per 1M tokens, close to OpenAI's public list prices at the time of writing; they
// exist to make the course's budgets and limits behave believably, not as a price reference.
export interface ModelInfo {
  id: string;
  created: number;
  ownedBy: string;
  inputPerMillion: number;
  outputPerMillion: number;
}

const m = (id: string, created: number, inputPerMillion: number, outputPerMillion: number): ModelInfo => ({
  id,
  created,
  ownedBy: 'system',
  inputPerMillion,
  outputPerMillion,
});

export const MODELS: readonly ModelInfo[] = [
  m('gpt-5', 1754425777, 1.25, 10),
  m('gpt-5-mini', 1754425867, 0.25, 2),
  m('gpt-5-nano', 1754426384, 0.05, 0.4),
  m('gpt-4.1', 1744316542, 2, 8),
  m('gpt-4.1-mini', 1744318173, 0.4, 1.6),
  m('gpt-4.1-nano', 1744321707, 0.1, 0.4),
  m('gpt-4o', 1715367049, 2.5, 10),
  m('gpt-4o-mini', 1721172741, 0.15, 0.6),
  m('o3', 1744225308, 2, 8),
  m('o4-mini', 1744225351, 1.1, 4.4),
  m('gpt-3.5-turbo', 1677610602, 0.5, 1.5),
];

const byId = new Map(MODELS.map((x) => [x.id, x]));

/** A catalog model by id; dated snapshots (`gpt-4o-mini-2024-07-18`) resolve to their base model. */
export function findModel(id: string): ModelInfo | undefined {
  const exact = byId.get(id);
  if (exact) return exact;
  const base = /^(.*)-\d{4}-\d{2}-\d{2}$/.exec(id)?.[1];
  return base ? byId.get(base) : undefined;
}

/** Cost in USD of one call, unrounded (the ledger sums exact values). */
export function costUsd(model: ModelInfo, inputTokens: number, outputTokens: number): number {
  return (inputTokens * model.inputPerMillion + outputTokens * model.outputPerMillion) / 1_000_000;
}
