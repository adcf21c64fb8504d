// SQLite through node:sqlite (built into Node >= 22.5, no native build to install). The database
// is synchronous; a promise chain keeps one transaction from interleaving with another request.
import { mkdirSync, chmodSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db, SqlValue } from './types.ts';

/** Every few seconds, a passive checkpoint (never waits for or blocks the writer) off the main thread. */
function startCheckpointer(path: string): Worker {
  const code = `
    const { DatabaseSync } = require('node:sqlite');
    const { workerData } = require('node:worker_threads');
    process.removeAllListeners('warning');
    const db = new DatabaseSync(workerData.path);
    db.exec('PRAGMA busy_timeout = 1000');
    setInterval(() => { try { db.exec('PRAGMA wal_checkpoint(PASSIVE)'); } catch {} }, 5000);
  `;
  const worker = new Worker(code, { eval: true, workerData: { path } });
  worker.unref();
  worker.on('error', () => {}); // the automatic checkpoint still bounds the WAL
  return worker;
}

type Sqlite = typeof import('node:sqlite');

async function loadSqlite(): Promise<Sqlite> {
  try {
    return await import('node:sqlite');
  } catch {
    throw new Error(
      `SQLite needs Node 22.5 or newer (node:sqlite); this is Node ${process.version}. Run through "npx leakproof" (it uses Node 22), or use --db postgres://….`,
    );
  }
}

export async function openSqlite(file: string): Promise<Db> {
  const { DatabaseSync } = await loadSqlite();
  const path = resolve(file);
  const fresh = !existsSync(path);
  mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  // The file holds the facilitator link: readable by its owner only.
  if (fresh) chmodSync(path, 0o600);
  // WAL: readers do not wait for the writer; NORMAL sync is durable across a process crash, and a
  // commit then writes without flushing to disk. The flush happens at checkpoints, which would block
  // this (synchronous) thread for as long as the disk takes: a worker thread with its own
  // connection runs them instead; the automatic one stays only as a safety net at 40 MB of WAL.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 10000;');
  const checkpointer = startCheckpointer(path);
  const cache = new Map<string, ReturnType<typeof db.prepare>>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  let queue: Promise<unknown> = Promise.resolve();
  let inTransaction = false;
  const locked = <T>(fn: () => Promise<T> | T): Promise<T> => {
    if (inTransaction) return Promise.resolve().then(fn); // the transaction holds the lock
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  };
  const api: Db = {
    dialect: 'sqlite',
    describe: `SQLite file ${path}`,
    all: <T>(sql: string, params: SqlValue[] = []) => locked(() => stmt(sql).all(...params) as T[]),
    get: <T>(sql: string, params: SqlValue[] = []) => locked(() => stmt(sql).get(...params) as T | undefined),
    run: (sql: string, params: SqlValue[] = []) => locked(() => ({ changes: Number(stmt(sql).run(...params).changes) })),
    exec: (sql: string) => locked(() => void db.exec(sql)),
    transaction: <T>(fn: (tx: Db) => Promise<T>) =>
      locked(async () => {
        db.exec('BEGIN IMMEDIATE');
        inTransaction = true;
        try {
          const out = await fn(api);
          db.exec('COMMIT');
          return out;
        } catch (e) {
          db.exec('ROLLBACK');
          throw e;
        } finally {
          inTransaction = false;
        }
      }),
    close: () =>
      locked(async () => {
        await checkpointer.terminate();
        db.close(); // the last connection to close folds the WAL back into the file
      }),
  };
  return api;
}
