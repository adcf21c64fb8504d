// PostgreSQL through `pg` (node-postgres), loaded only when a postgres:// URL is given.
import type { Db, SqlValue } from './types.ts';

/** `?` → `$1, $2, …` (our SQL never has a `?` inside a string literal). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

function wrap(q: Queryable, describe: string, transaction: Db['transaction'], close: Db['close']): Db {
  return {
    dialect: 'postgres',
    describe,
    all: async <T>(sql: string, params: SqlValue[] = []) => (await q.query(numberPlaceholders(sql), params)).rows as T[],
    get: async <T>(sql: string, params: SqlValue[] = []) => (await q.query(numberPlaceholders(sql), params)).rows[0] as T | undefined,
    run: async (sql: string, params: SqlValue[] = []) => ({ changes: (await q.query(numberPlaceholders(sql), params)).rowCount ?? 0 }),
    exec: async (sql: string) => void (await q.query(sql)),
    transaction,
    close,
  };
}

export async function openPostgres(url: string): Promise<Db> {
  const { default: pg } = await import('pg');
  // BIGINT (oid 20) as a JavaScript number: ids and millisecond times stay far below 2^53.
  const types = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser };
  const pool = new pg.Pool({ connectionString: url, max: 8, types, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {}); // an idle client's broken connection: the next query reconnects
  const describe = `PostgreSQL ${redactUrl(url)}`;
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw new Error(`Cannot connect to ${describe}: ${(e as Error).message}. Check the URL, that the server runs and that the role may log in.`);
  }
  const close = () => pool.end();
  const transaction: Db['transaction'] = async (fn) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const tx = wrap(client, describe, () => Promise.reject(new Error('nested transaction')), async () => {});
      const out = await fn(tx);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  };
  return wrap(pool, describe, transaction, close);
}
