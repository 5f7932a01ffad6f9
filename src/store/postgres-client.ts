/**
 * A PostgreSQL server (`--database-url`), shared by many runners and `serve` replicas. The pg
 * driver is imported only when such a store is opened. The URL carries the password at most in
 * the flag; messages never show it (redactDatabaseUrl).
 */
import { SourceError } from '../errors.js';
import type { SqlClient, SqlQueries, SqlValue } from './sql-client.js';

export interface PostgresOptions {
  readonly url: string;
  /** Schema every connection works in (tests: one per test); created when missing. */
  readonly schema?: string | undefined;
  readonly maxConnections?: number;
}

export async function openPostgresClient(options: PostgresOptions): Promise<SqlClient> {
  const { default: pg } = await import('pg');
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new SourceError('store-bad-schema', `schema name ${schema} is not a plain lower-case identifier`);
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: 10_000,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const fail = (error: unknown): never => {
    throw new SourceError('store-unreachable', `the policy store at ${redactDatabaseUrl(options.url)} failed: ${redactDatabaseUrl((error as Error).message)}`, {
      cause: error,
      retryable: true,
      hint: 'Check --database-url (or POLICY_SIDECAR_DATABASE_URL), that the server runs, and the password (PGPASSWORD).',
    });
  };
  try {
    // One implicit transaction: two processes creating the same schema queue on the lock.
    if (schema !== undefined) await pool.query(`SELECT pg_advisory_xact_lock(7262016); CREATE SCHEMA IF NOT EXISTS ${schema}`);
    else await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    fail(error);
  }
  const run = async <Row>(client: Pick<InstanceType<typeof pg.Pool>, 'query'>, text: string, params: readonly SqlValue[]): Promise<Row[]> => {
    const result = await client.query(text, [...params]);
    return result.rows as Row[];
  };
  return {
    kind: 'postgres',
    query: <Row>(text: string, params: readonly SqlValue[] = []) => run<Row>(pool, text, params),
    async exec(text) {
      await pool.query(text);
    },
    async transaction(work) {
      const client = await pool.connect().catch(fail);
      try {
        await client.query('BEGIN');
        const tx: SqlQueries = {
          query: <Row>(text: string, params: readonly SqlValue[] = []) => run<Row>(client, text, params),
          async exec(text) {
            await client.query(text);
          },
        };
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A lost connection rolls back on the server by itself; ROLLBACK here may fail too.
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** The URL without its password: `postgres://user:***@host/db`. */
export function redactDatabaseUrl(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@');
}
