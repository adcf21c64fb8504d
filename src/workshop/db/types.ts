// The one database interface the workshop store uses. Two drivers implement it: node:sqlite
// (a file, no server) and pg (PostgreSQL). SQL is written once with `?` placeholders; the
// PostgreSQL driver numbers them ($1, $2, …). Integers are JavaScript numbers on both.
export type SqlValue = string | number | null;

export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  /** Where the data lives, without any password (for the start-up banner and errors). */
  readonly describe: string;
  all<T>(sql: string, params?: SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: SqlValue[]): Promise<{ changes: number }>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction: every statement or none. Calls on `tx` only inside. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
