// A local stand-in for AWS Secrets Manager that the official AWS SDK v3
// (@aws-sdk/client-secrets-manager) talks to unchanged: the AWS JSON 1.1 protocol (POST / with
// `X-Amz-Target: secretsmanager.<Operation>`), AWS's error shape (`__type` + message, HTTP 400), and
// enough of the API for a server that reads its key at run time and a rotation: CreateSecret,
// GetSecretValue (by version id or staging label), PutSecretValue, DescribeSecret,
// ListSecretVersionIds, UpdateSecretVersionStage. Versions carry staging labels AWSCURRENT,
// AWSPENDING and AWSPREVIOUS, moved as Secrets Manager moves them.
// It listens on 127.0.0.1 only, is seeded, and keeps a ledger of every call (who, what, which
// version: never a secret's value), readable at GET /__leakproof/ledger.
// Identity: a call must carry a SigV4 Authorization header whose access key id is one of the seeded
// identities (the app's own). The signature itself is not verified: this is a course mock, bound to
// loopback, not an access-control boundary.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

export interface SecretSeed {
  name: string;
  value: string;
}

export interface IdentitySeed {
  accessKeyId: string;
  secretAccessKey: string;
  /** Who this is, for the ledger ("the app's deploy role"). */
  name: string;
}

export interface LedgerEntry {
  at: string;
  operation: string;
  secretId?: string;
  versionId?: string;
  versionStage?: string;
  /** The caller's access key id, or "(none)". */
  accessKeyId: string;
  identity?: string;
  /** 'ok', or the error's __type. */
  outcome: string;
}

interface Version {
  id: string;
  value: string;
  stages: Set<string>;
  created: number;
}

interface Secret {
  name: string;
  arn: string;
  versions: Version[];
  created: number;
}

export interface RunningSecretStore {
  /** Endpoint for the SDK (AWS_ENDPOINT_URL_SECRETS_MANAGER). */
  url: string;
  region: string;
  ledger(): LedgerEntry[];
  close(): Promise<void>;
}

class AwsError extends Error {
  type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

export async function startSecretStore(o: { secrets: SecretSeed[]; identities: IdentitySeed[]; port?: number }): Promise<RunningSecretStore> {
  const secrets = new Map<string, Secret>();
  const ledger: LedgerEntry[] = [];
  const now = () => Math.floor(Date.now() / 1000);
  const create = (name: string, value: string): Secret => {
    const s: Secret = { name, arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${randomUUID().slice(0, 6)}`, versions: [], created: now() };
    s.versions.push({ id: randomUUID(), value, stages: new Set(['AWSCURRENT']), created: now() });
    secrets.set(name, s);
    return s;
  };
  for (const s of o.secrets) create(s.name, s.value);

  const find = (id: unknown): Secret => {
    if (typeof id !== 'string' || !id) throw new AwsError('InvalidParameterException', 'You must provide a SecretId.');
    const s = secrets.get(id) ?? [...secrets.values()].find((x) => x.arn === id);
    if (!s) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return s;
  };
  const withStage = (s: Secret, stage: string) => s.versions.find((v) => v.stages.has(stage));
  const moveStage = (s: Secret, stage: string, to: Version) => {
    const from = withStage(s, stage);
    if (from === to) return;
    from?.stages.delete(stage);
    to.stages.add(stage);
    // Moving AWSCURRENT makes the old current version AWSPREVIOUS, as Secrets Manager does.
    if (stage === 'AWSCURRENT' && from) moveStage(s, 'AWSPREVIOUS', from);
  };

  const ops: Record<string, (b: any, log: Partial<LedgerEntry>) => unknown> = {
    CreateSecret(b, log) {
      if (typeof b.Name !== 'string' || !b.Name) throw new AwsError('InvalidParameterException', 'You must provide a Name.');
      log.secretId = b.Name;
      if (secrets.has(b.Name)) throw new AwsError('ResourceExistsException', `The operation failed because the secret ${b.Name} already exists.`);
      const s = create(b.Name, String(b.SecretString ?? ''));
      log.versionId = s.versions[0].id;
      return { ARN: s.arn, Name: s.name, VersionId: s.versions[0].id };
    },
    GetSecretValue(b, log) {
      const s = find(b.SecretId);
      log.secretId = s.name;
      let v: Version | undefined;
      if (b.VersionId) v = s.versions.find((x) => x.id === b.VersionId);
      else v = withStage(s, b.VersionStage ?? 'AWSCURRENT');
      if (v && b.VersionStage && !v.stages.has(b.VersionStage)) v = undefined;
      log.versionStage = b.VersionStage ?? (b.VersionId ? undefined : 'AWSCURRENT');
      if (!v) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: " + (b.VersionStage ?? 'AWSCURRENT'));
      log.versionId = v.id;
      return { ARN: s.arn, Name: s.name, VersionId: v.id, SecretString: v.value, VersionStages: [...v.stages], CreatedDate: v.created };
    },
    PutSecretValue(b, log) {
      const s = find(b.SecretId);
      log.secretId = s.name;
      if (typeof b.SecretString !== 'string') throw new AwsError('InvalidParameterException', 'You must provide a SecretString.');
      const id = typeof b.ClientRequestToken === 'string' && b.ClientRequestToken ? b.ClientRequestToken : randomUUID();
      let v = s.versions.find((x) => x.id === id);
      if (v && v.value !== b.SecretString) throw new AwsError('ResourceExistsException', 'A version with this ClientRequestToken already exists with a different value.');
      if (!v) {
        v = { id, value: b.SecretString, stages: new Set(), created: now() };
        s.versions.push(v);
      }
      const stages: string[] = Array.isArray(b.VersionStages) && b.VersionStages.length ? b.VersionStages : ['AWSCURRENT'];
      for (const st of stages) moveStage(s, st, v);
      log.versionId = v.id;
      log.versionStage = stages.join(',');
      return { ARN: s.arn, Name: s.name, VersionId: v.id, VersionStages: [...v.stages] };
    },
    DescribeSecret(b, log) {
      const s = find(b.SecretId);
      log.secretId = s.name;
      return { ARN: s.arn, Name: s.name, CreatedDate: s.created, VersionIdsToStages: Object.fromEntries(s.versions.filter((v) => v.stages.size).map((v) => [v.id, [...v.stages]])) };
    },
    ListSecretVersionIds(b, log) {
      const s = find(b.SecretId);
      log.secretId = s.name;
      return { ARN: s.arn, Name: s.name, Versions: s.versions.map((v) => ({ VersionId: v.id, VersionStages: [...v.stages], CreatedDate: v.created })) };
    },
    UpdateSecretVersionStage(b, log) {
      const s = find(b.SecretId);
      log.secretId = s.name;
      log.versionStage = b.VersionStage;
      if (typeof b.VersionStage !== 'string') throw new AwsError('InvalidParameterException', 'You must provide a VersionStage.');
      if (b.RemoveFromVersionId) {
        const from = s.versions.find((v) => v.id === b.RemoveFromVersionId);
        if (!from?.stages.has(b.VersionStage)) throw new AwsError('InvalidParameterException', `The staging label ${b.VersionStage} is not attached to version ${b.RemoveFromVersionId}.`);
        if (!b.MoveToVersionId) from.stages.delete(b.VersionStage);
      }
      if (b.MoveToVersionId) {
        const to = s.versions.find((v) => v.id === b.MoveToVersionId);
        if (!to) throw new AwsError('ResourceNotFoundException', `Secrets Manager can't find the version ${b.MoveToVersionId}.`);
        log.versionId = to.id;
        moveStage(s, b.VersionStage, to);
      }
      return { ARN: s.arn, Name: s.name };
    },
  };

  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), ...extra });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/__leakproof/ledger') return send(200, ledger);
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : '';
    const auth = String(req.headers.authorization ?? '');
    const accessKeyId = /Credential=([^/,\s]+)\//.exec(auth)?.[1] ?? '(none)';
    const identity = o.identities.find((i) => i.accessKeyId === accessKeyId);
    const log: Partial<LedgerEntry> & { operation: string } = { operation: op || `${req.method} ${req.url}`, accessKeyId, identity: identity?.name };
    let text = '';
    for await (const chunk of req) {
      text += chunk;
      if (text.length > 100_000) break;
    }
    try {
      if (req.method !== 'POST' || !ops[op]) throw new AwsError('UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target header)'}.`);
      if (!identity) throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        throw new AwsError('SerializationException', 'The request body is not valid JSON.');
      }
      const out = ops[op](body ?? {}, log);
      ledger.push({ at: new Date().toISOString(), ...log, outcome: 'ok' } as LedgerEntry);
      send(200, out);
    } catch (e) {
      const err = e instanceof AwsError ? e : new AwsError('InternalServiceError', 'Internal error.');
      ledger.push({ at: new Date().toISOString(), ...log, outcome: err.type } as LedgerEntry);
      send(err.type === 'InternalServiceError' ? 500 : 400, { __type: err.type, message: err.message }, { 'x-amzn-errortype': err.type });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    region: REGION,
    ledger: () => ledger.map((e) => ({ ...e })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
