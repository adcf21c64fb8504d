// Constants of the completion record that the page needs without zod (the page bundle stays small).

export const RECORD_FORMAT = 'leakproof-completion-record/1';

/** What a self-paced record can and cannot prove: said the same way on the end page and by the CLI. */
export const RECORD_LIMITS =
  'A self-paced record is not tamper-proof: anyone with the course code can recompute its seal. ' +
  'It shows that the file was not edited after it was issued and which version of each chapter\'s checks ' +
  'it was issued against; it does not prove who did the work or that the checks really ran. For that, ' +
  'someone has to watch the checks run (a facilitator can, in a workshop): a workshop\'s signed records ' +
  'show which service saw the results and when, not that the checks really ran.';

/** A workshop room's export (`leakproof workshop`, "Export completion records"): records with the room's signatures. */
export const ROOM_EXPORT_FORMAT = 'leakproof-workshop-records/1';

/**
 * What a workshop record can and cannot prove: in the export, by the CLI, and in docs/workshop.md.
 * The service never runs the checks: it sees what the learner's course page reports.
 */
export const WORKSHOP_RECORD_LIMITS =
  'A workshop record lists what the workshop service saw: check results that the learner\'s course page ' +
  'reported to the room, each dated when it reached the service, with the engine the page named. The ' +
  'service does not run the checks or see the learner\'s files, so a learner who forges their page\'s ' +
  'reports can forge a pass, and the display name is what the learner typed. The room\'s signature ' +
  '(Ed25519, a key only the service holds) shows that this service issued the record unchanged, and ' +
  'only if the key is the one the facilitator published for the room (leakproof verify --key).';
