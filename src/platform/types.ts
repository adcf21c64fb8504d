// Records the platform keeps in memory. Times are epoch milliseconds of the platform clock.
import type { KeyKind } from './keys.ts';

export interface KeyRecord {
  id: string;
  value: string;
  kind: KeyKind;
  /** null for admin keys (organization-wide). */
  projectId: string | null;
  name: string;
  status: 'active' | 'revoked';
  /** Restricted permissions; empty = All. */
  scopes: string[];
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  serviceAccountId: string | null;
  /** Id of the key this one replaced (rotation). */
  rotatedFrom: string | null;
  /** The person a project key belongs to, or an Admin key's creator; null = the course's learner. */
  ownerUserId: string | null;
}

export interface ModelPermissions {
  mode: 'allow_list' | 'deny_list';
  modelIds: string[];
}

export interface SpendAlert {
  id: string;
  thresholdUsd: number;
  recipients: string[];
  /** `YYYY-MM` of the month it last fired (alerts fire once a month). */
  firedMonth: string | null;
}

export interface RateLimit {
  maxRequestsPer1Minute: number;
  maxTokensPer1Minute: number;
}

export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: number;
  archivedAt: number | null;
  /** null = every model allowed. */
  modelPermissions: ModelPermissions | null;
  /** Hard monthly spend limit in USD; null = none. */
  spendLimitUsd: number | null;
  spendAlerts: SpendAlert[];
  /** Overrides of the default per-model rate limits. */
  rateLimits: Record<string, RateLimit>;
  /** Addresses / IPv4 CIDR ranges allowed to call with this project's keys; null = any. */
  ipAllowlist: string[] | null;
}

export interface ServiceAccountRecord {
  id: string;
  projectId: string;
  name: string;
  role: 'member' | 'owner';
  createdAt: number;
}

export type Endpoint = '/v1/chat/completions' | '/v1/responses' | '/v1/models';

/** One accepted call. */
export interface LedgerEntry {
  seq: number;
  time: number;
  keyId: string;
  keyMasked: string;
  projectId: string;
  model: string;
  endpoint: Endpoint;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  source: string;
  stream: boolean;
  /** Made by a course simulation (e.g. the attacker burst), not by a real HTTP client. */
  simulated: boolean;
}

/** One refused call (any 4xx from the inference endpoints). */
export interface Rejection {
  seq: number;
  time: number;
  keyId: string | null;
  keyMasked: string | null;
  projectId: string | null;
  model: string | null;
  endpoint: string;
  status: number;
  code: string | null;
  /** Why, in course words: unknown_key, revoked, expired, missing_scope, model_not_allowed, … */
  reason: string;
  source: string;
  simulated: boolean;
}

export type PlatformEventType =
  | 'key.created'
  | 'key.revoked'
  | 'key.restored'
  | 'key.rotated'
  | 'key.updated'
  | 'project.created'
  | 'project.updated'
  | 'spend_limit.updated'
  | 'spend_limit.reached'
  | 'spend_alert.triggered'
  | 'rate_limit.updated'
  | 'service_account.created'
  | 'service_account.deleted'
  | 'request.rejected'
  | 'simulation.burst'
  | 'partner_alert'
  | 'clock.changed'
  | 'user.added'
  | 'user.updated'
  | 'user.deleted'
  | 'invite.sent'
  | 'invite.deleted'
  | 'project.user.updated';

/** Who made a change, for the audit log: a dashboard session (the course user) or an Admin API key. */
export type EventActor =
  /** A person in the dashboard; `user` when the platform knows who (a people.ts session). */
  | { type: 'session'; ipAddress: string | null; user?: { id: string; email: string } }
  | { type: 'api_key'; keyId: string; serviceAccountId: string | null };

export interface PlatformEvent {
  seq: number;
  time: number;
  type: PlatformEventType;
  message: string;
  data: Record<string, unknown>;
  /** Who caused it; absent for the platform's own events (a simulation, a limit reached). */
  actor?: EventActor;
}

/** What the state pushes to live subscribers (the SSE stream). */
export type PlatformMessage =
  | { kind: 'event'; event: PlatformEvent }
  | { kind: 'ledger'; entry: LedgerEntry }
  | { kind: 'rejection'; rejection: Rejection };

// ---- what the course controls return (the panel and the engine read these) ----------------------

/** A key as the controls show it: never its value. */
export interface KeyView {
  id: string;
  name: string;
  kind: 'project' | 'service_account' | 'admin';
  projectId: string | null;
  status: 'active' | 'revoked';
  expired: boolean;
  scopes: string[];
  masked: string;
  redacted: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  serviceAccountId: string | null;
  rotatedFrom: string | null;
  /** The person the key belongs to (users in the snapshot), or null. */
  ownerUserId: string | null;
  requests: number;
  costUsd: number;
}

export interface ProjectView {
  id: string;
  name: string;
  archived: boolean;
  /** null = every model (or a deny list: see modelPermissions). */
  allowedModels: string[] | null;
  modelPermissions: ModelPermissions | null;
  spendLimitUsd: number | null;
  /** This month, by the platform clock. */
  spentUsd: number;
  spendAlertsUsd: number[];
  /** The same alerts with who they notify (chapter 10 checks the recipients). */
  spendAlerts: Array<{ id: string; thresholdUsd: number; recipients: string[] }>;
  rateLimits: Record<string, RateLimit>;
  ipAllowlist: string[] | null;
}

/** GET /__platform/state */
export interface PlatformSnapshot {
  now: number;
  month: string;
  organization: { id: string; spendLimitUsd: number | null; spentUsd: number };
  projects: ProjectView[];
  keys: KeyView[];
  serviceAccounts: ServiceAccountRecord[];
  /** Users with their organization and project roles, and invites (control-people.ts). */
  people: { users: Array<{ id: string; email: string; name: string; role: 'owner' | 'reader'; projects: Record<string, 'owner' | 'member' | 'viewer'> }>; invites: Array<{ id: string; email: string; role: 'owner' | 'reader'; status: string }> };
  models: Array<{ id: string; inputPerMillion: number; outputPerMillion: number }>;
  defaultRateLimit: RateLimit;
  counts: { ledger: number; rejections: number; events: number };
}
