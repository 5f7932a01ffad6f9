/**
 * The tiny query interface both stores speak: PGlite (embedded, a folder) and a PostgreSQL server
 * (pg). One SQL dialect, PostgreSQL's, with `$1` parameters; the rest of src/store sees only this.
 */

export type SqlValue = string | number | boolean | null | Date | readonly string[] | readonly number[] | readonly boolean[];

export interface SqlQueries {
  /** Rows of one statement, typed by the caller's query file (the SQL names the columns). */
  query<Row>(text: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface SqlClient extends SqlQueries {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
