// Constants of the completion record that the page needs without zod (the page bundle stays small).

export const RECORD_FORMAT = 'leakproof-completion-record/1';

/** What a self-paced record can and cannot prove: said the same way on the end page and by the CLI. */
export const RECORD_LIMITS =
  'A self-paced record is not tamper-proof: anyone with the course code can recompute its seal. ' +
  'It shows that the file was not edited after it was issued and which version of each chapter\'s checks ' +
  'it was issued against; it does not prove who did the work or that the checks really ran. For that, ' +
  'watch the checks run (a workshop) or use a record signed by a server the learner does not control.';
