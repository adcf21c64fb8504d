// `--db <file.sqlite>` or `--db postgres://…` → an open, migrated database.
import { openSqlite } from './sqlite.ts';
import { openPostgres } from './postgres.ts';
import { migrate } from './migrations.ts';
import type { Db } from './types.ts';

export type { Db } from './types.ts';

export const DEFAULT_DB = '.leakproof/workshop.sqlite';

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

export async function openDatabase(spec: string): Promise<Db> {
  const db = isPostgresUrl(spec) ? await openPostgres(spec) : await openSqlite(spec);
  try {
    await migrate(db);
  } catch (e) {
    await db.close().catch(() => {});
    throw new Error(`Could not prepare the workshop tables in ${db.describe}: ${(e as Error).message}`);
  }
  return db;
}
