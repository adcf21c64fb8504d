export * from './schema.ts';
export { RECORD_LIMITS, ROOM_EXPORT_FORMAT, WORKSHOP_RECORD_LIMITS } from './format.ts';
export * from './room-export.ts';
export { canonicalJson, sha256 } from './canonical.ts';
export { courseHash, issueRecord, sealOf } from './issue.ts';
export { verifyRecord, type Verdict } from './verify.ts';
