// Both databases for the workshop tests: a fresh SQLite file, and a fresh PostgreSQL database
// created next to LEAKPROOF_TEST_PG_URL (default: the role and database .ci/run creates).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const PG_URL = process.env.LEAKPROOF_TEST_PG_URL || 'postgres://leakproof:leakproof@127.0.0.1:5432/leakproof_test';

export interface TestDatabase {
  /** What `--db` takes. */
  spec: string;
  drop(): Promise<void>;
}

export async function freshSqlite(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-workshop-'));
  return { spec: join(dir, 'workshop.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freshPostgres(): Promise<TestDatabase> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_URL.replace(/:[^:@/]+@/, ':***@')} (${(e as Error).message}). ` +
        'Start it (pg_ctlcluster 15 main start) and create the test role: see .ci/run, or set LEAKPROOF_TEST_PG_URL.',
    );
  }
  const name = `lp_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    spec: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const DATABASES = [
  { name: 'sqlite', fresh: freshSqlite },
  { name: 'postgres', fresh: freshPostgres },
] as const;
