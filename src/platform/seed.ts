// The seed: which projects and keys a platform starts with. Validated with clear errors that name
// the field and say how to fix it (a chapter author or a learner may write one by hand).
import { z } from 'zod';
import type { KeyKind } from './keys.ts';
import { isValidAllowlistEntry } from './ip.ts';

export interface SeedRateLimit {
  model: string;
  maxRequestsPer1Minute?: number;
  maxTokensPer1Minute?: number;
}

export interface SeedProject {
  id: string;
  name: string;
  /** Models this project may call; absent = all models. */
  allowedModels?: string[];
  /** Hard monthly spend limit in USD; absent = none; 0 refuses the first call. */
  spendLimitUsd?: number;
  /** Spend alert thresholds in USD (notify only). */
  spendAlertsUsd?: number[];
  rateLimits?: SeedRateLimit[];
  /** Only these addresses / IPv4 CIDR ranges may call with the project's keys (up to 50). */
  ipAllowlist?: string[];
}

export interface SeedKey {
  value: string;
  /** Project the key belongs to; defaults to the first project (ignored for admin keys). */
  projectId?: string;
  kind: KeyKind;
  status?: 'active' | 'revoked';
  /** Restricted permissions (e.g. `model.request`, `api.model.read`); absent or empty = All. */
  scopes?: string[];
  /** ISO date or Unix seconds. */
  expiresAt?: string | number;
  /** Expiry relative to the platform clock at start (seconds from then); instead of `expiresAt`. */
  expiresInSeconds?: number;
  /** How old the key is at start (seconds before the platform clock), e.g. a key made 80 days ago. */
  ageSeconds?: number;
  /** The service account that owns the key (one listed in `serviceAccounts`, same project). */
  serviceAccountId?: string;
  /** The user (id or e-mail, listed in `users`) a project key belongs to. */
  owner?: string;
  /** Optional stable id (`key_…`) and display name. */
  id?: string;
  name?: string;
}

export interface SeedUser {
  email: string;
  /** Organization role. */
  role: 'owner' | 'reader';
  id?: string;
  name?: string;
  /** Project id → project role. */
  projects?: Record<string, 'owner' | 'member' | 'viewer'>;
}

export interface SeedServiceAccount {
  id: string;
  projectId: string;
  name: string;
}

/** Calls made before the platform starts (a scenario's history: the app's own use, a stranger's). */
export interface SeedTraffic {
  /** The calling key: its value (`{{PLANTED_KEY}}` in a chapter's seed) or its id. */
  key: string;
  model: string;
  requests: number;
  /** The caller's address, as usage shows it. */
  source: string;
  /** When the first call happened (ISO date); the rest follow `everySeconds` apart. */
  startAt: string;
  everySeconds?: number;
  promptTokens?: number;
  maxTokens?: number;
}

export interface Seed {
  /** The platform clock at start (ISO date): a scenario on a fixed date keeps its figures stable. */
  now?: string;
  /** Calls replayed into the ledger at start, through the same gate as live calls. */
  traffic?: SeedTraffic[];
  projects: SeedProject[];
  /** Service accounts (the identities of unattended apps); their keys name them in `serviceAccountId`. */
  serviceAccounts?: SeedServiceAccount[];
  /** People in the organization with their organization and project roles (people.ts). */
  users?: SeedUser[];
  keys: SeedKey[];
}

const HINTS: Record<string, string> = {
  projects: 'give a list of projects, e.g. [{ "id": "proj_course", "name": "Course" }]',
  keys: 'give a list of keys, e.g. [{ "value": "sk-proj-…", "projectId": "proj_course", "kind": "project" }]',
  id: 'use a non-empty id such as "proj_course" (projects) or "key_abc123" (keys)',
  name: 'use a non-empty display name such as "Course"',
  allowedModels: 'use a list of model ids such as ["gpt-4o-mini"], or leave the field out to allow every model',
  spendLimitUsd: 'use a number of US dollars, 0 or more, such as 5 (0 refuses the first call), or leave it out for no limit',
  spendAlertsUsd: 'use a list of US dollar amounts above 0, such as [1, 4]',
  rateLimits: 'use a list such as [{ "model": "gpt-4o-mini", "maxRequestsPer1Minute": 3 }]',
  model: 'use a model id such as "gpt-4o-mini"',
  ipAllowlist: 'use up to 50 addresses or IPv4 CIDR ranges, such as ["127.0.0.1", "10.0.0.0/8"]',
  maxRequestsPer1Minute: 'use a whole number, 0 or more',
  maxTokensPer1Minute: 'use a whole number, 0 or more',
  value: 'put the whole key string, such as "sk-proj-…" (no spaces)',
  kind: 'use "project", "service_account" or "admin"',
  status: 'use "active" or "revoked", or leave it out (active)',
  scopes: 'use a list of scope strings such as ["model.request"], or leave it out for All permissions',
  expiresAt: 'use an ISO date such as "2026-12-31T00:00:00Z" or Unix seconds such as 1798675200',
  projectId: 'use the id of a project listed in "projects"',
  key: 'use the value or the id of a key listed in "keys"',
  now: 'use an ISO date such as "2026-11-14T09:30:00Z", or leave it out for the real time',
  startAt: 'use an ISO date such as "2026-11-14T02:13:00Z"',
  requests: 'use a whole number of calls from 1 to 10000',
  source: 'use the caller\'s address, such as "203.0.113.77"',
  traffic: 'give a list such as [{ "key": "{{PLANTED_KEY}}", "model": "gpt-4.1", "requests": 40, "source": "203.0.113.77", "startAt": "2026-11-14T02:13:00Z" }]',
  expiresInSeconds: 'use a number of seconds above 0, such as 864000 (10 days)',
  ageSeconds: 'use a number of seconds, 0 or more, such as 6912000 (80 days)',
  serviceAccounts: 'give a list such as [{ "id": "svc_acct_server", "projectId": "proj_course", "name": "server" }]',
  serviceAccountId: 'use the id of a service account listed in "serviceAccounts", in the key\'s project',
  users: 'give a list such as [{ "email": "ana@example.com", "role": "owner", "projects": { "proj_dev": "member" } }]',
  email: 'use an e-mail address such as "ana@example.com"',
  role: 'use "owner" or "reader" (organization); in "projects", "owner", "member" or "viewer"',
  owner: 'use the id or e-mail of a user listed in "users"',
};

const nonEmpty = z.string().min(1);
const rateLimitSchema = z.strictObject({
  model: nonEmpty,
  maxRequestsPer1Minute: z.number().int().min(0).optional(),
  maxTokensPer1Minute: z.number().int().min(0).optional(),
});
const projectSchema = z.strictObject({
  id: nonEmpty,
  name: nonEmpty,
  allowedModels: z.array(nonEmpty).optional(),
  spendLimitUsd: z.number().min(0).optional(),
  spendAlertsUsd: z.array(z.number().positive()).optional(),
  rateLimits: z.array(rateLimitSchema).optional(),
  ipAllowlist: z.array(z.string().refine(isValidAllowlistEntry)).max(50).optional(),
});
const keySchema = z.strictObject({
  value: z.string().regex(/^\S+$/),
  projectId: nonEmpty.optional(),
  kind: z.enum(['project', 'service_account', 'admin']),
  status: z.enum(['active', 'revoked']).optional(),
  scopes: z.array(nonEmpty).optional(),
  expiresAt: z.union([z.string().refine((s) => !Number.isNaN(Date.parse(s))), z.number().positive()]).optional(),
  expiresInSeconds: z.number().positive().optional(),
  ageSeconds: z.number().min(0).optional(),
  serviceAccountId: nonEmpty.optional(),
  owner: nonEmpty.optional(),
  id: nonEmpty.optional(),
  name: nonEmpty.optional(),
});
const userSchema = z.strictObject({
  email: z.string().regex(/^[^\s@]+@[^\s@]+$/),
  role: z.enum(['owner', 'reader']),
  id: nonEmpty.optional(),
  name: nonEmpty.optional(),
  projects: z.record(nonEmpty, z.enum(['owner', 'member', 'viewer'])).optional(),
});
const serviceAccountSchema = z.strictObject({ id: nonEmpty, projectId: nonEmpty, name: nonEmpty });
const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)));
const trafficSchema = z.strictObject({
  key: nonEmpty,
  model: nonEmpty,
  requests: z.number().int().min(1).max(10_000),
  source: nonEmpty,
  startAt: isoDate,
  everySeconds: z.number().positive().optional(),
  promptTokens: z.number().int().min(1).max(100_000).optional(),
  maxTokens: z.number().int().min(1).max(100_000).optional(),
});
const seedSchema = z.strictObject({
  now: isoDate.optional(),
  traffic: z.array(trafficSchema).optional(),
  projects: z.array(projectSchema).default([]),
  serviceAccounts: z.array(serviceAccountSchema).optional(),
  users: z.array(userSchema).optional(),
  keys: z.array(keySchema).default([]),
});

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

function fail(path: string, problem: string, field: string): never {
  const hint = HINTS[field];
  throw new Error(`Invalid platform seed: ${path}: ${problem}.${hint ? ` Fix: ${hint}.` : ''}`);
}

/** Validate a parsed seed JSON. Throws an Error whose message names the field and how to fix it. */
export function parseSeed(json: unknown): Seed {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error('Invalid platform seed: expected a JSON object such as {"projects": [...], "keys": [...]}.');
  }
  const result = seedSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = formatPath(issue.path);
    const field = [...issue.path].reverse().find((p) => typeof p === 'string') as string | undefined;
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(
        issue.path.length === 0 ? seedSchema.shape : issue.path[0] === 'projects' && issue.path.length === 2 ? projectSchema.shape : issue.path[0] === 'keys' ? keySchema.shape : issue.path[0] === 'serviceAccounts' ? serviceAccountSchema.shape : issue.path[0] === 'traffic' ? trafficSchema.shape : issue.path[0] === 'users' ? userSchema.shape : rateLimitSchema.shape,
      );
      throw new Error(`Invalid platform seed: ${path}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}. Known fields here: ${known.join(', ')}.`);
    }
    fail(path, issue.message.replace(/^Invalid input: /, 'invalid value: '), field ?? '');
  }
  const seed = result.data as Seed;
  // Cross-field rules zod cannot express simply.
  const projectIds = new Set<string>();
  seed.projects.forEach((p, i) => {
    if (projectIds.has(p.id)) fail(`projects[${i}].id`, `duplicate project id "${p.id}"`, 'id');
    projectIds.add(p.id);
  });
  const accounts = new Map<string, string>();
  (seed.serviceAccounts ?? []).forEach((sa, i) => {
    if (accounts.has(sa.id)) fail(`serviceAccounts[${i}].id`, `duplicate service account id "${sa.id}"`, 'id');
    if (!projectIds.has(sa.projectId)) fail(`serviceAccounts[${i}].projectId`, `no project with id "${sa.projectId}"`, 'projectId');
    accounts.set(sa.id, sa.projectId);
  });
  const people = new Set<string>();
  (seed.users ?? []).forEach((u, i) => {
    const email = u.email.toLowerCase();
    if (people.has(email) || (u.id && people.has(u.id))) fail(`users[${i}]`, `the user ${u.email} is listed twice`, 'users');
    people.add(email);
    if (u.id) people.add(u.id);
    for (const projectId of Object.keys(u.projects ?? {})) if (!projectIds.has(projectId)) fail(`users[${i}].projects`, `no project with id "${projectId}"`, 'projectId');
  });
  if (seed.users?.length && !seed.users.some((u) => u.role === 'owner')) fail('users', 'an organization needs at least one Owner', 'role');
  const values = new Set<string>();
  const ids = new Set<string>();
  seed.keys.forEach((k, i) => {
    if (k.expiresAt !== undefined && k.expiresInSeconds !== undefined) fail(`keys[${i}].expiresInSeconds`, 'give either expiresAt or expiresInSeconds, not both', 'expiresInSeconds');
    if (k.serviceAccountId !== undefined) {
      const owner = accounts.get(k.serviceAccountId);
      if (!owner) fail(`keys[${i}].serviceAccountId`, `no service account with id "${k.serviceAccountId}"`, 'serviceAccountId');
      if (k.kind === 'admin' || (k.projectId ?? seed.projects[0]?.id) !== owner) fail(`keys[${i}].serviceAccountId`, `service account "${k.serviceAccountId}" belongs to project "${owner}", not to this key's project`, 'serviceAccountId');
    }
    if (k.owner !== undefined && !people.has(k.owner.toLowerCase()) && !people.has(k.owner)) fail(`keys[${i}].owner`, `no user "${k.owner}" in "users"`, 'owner');
    if (values.has(k.value)) fail(`keys[${i}].value`, 'the same key value appears twice', 'value');
    values.add(k.value);
    if (k.id) {
      if (ids.has(k.id)) fail(`keys[${i}].id`, `duplicate key id "${k.id}"`, 'id');
      ids.add(k.id);
    }
    if (k.kind !== 'admin') {
      if (k.projectId !== undefined && !projectIds.has(k.projectId)) {
        fail(`keys[${i}].projectId`, `no project with id "${k.projectId}"`, 'projectId');
      }
      if (k.projectId === undefined && seed.projects.length === 0) {
        fail(`keys[${i}].projectId`, `a ${k.kind} key needs a project, and "projects" is empty`, 'projects');
      }
    }
  });
  const keyRefs = new Set([...values, ...ids]);
  (seed.traffic ?? []).forEach((t, i) => {
    if (!keyRefs.has(t.key)) fail(`traffic[${i}].key`, 'no key with this value or id in "keys"', 'key');
  });
  return seed;
}
