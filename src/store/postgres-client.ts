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
    // The store's queries are short lookups; at 10,000 links the planner's estimate passes
    // jit_above_cost and PostgreSQL spends more compiling the query (~25 ms) than running it.
    // (A URL with its own `options` parameter replaces these: pg lets the URL win.)
    options: schema === undefined ? '-c jit=off' : `-c jit=off -c search_path=${schema}`,
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
    try {
      const result = await client.query(text, [...params]);
      return result.rows as Row[];
    } catch (error) {
      throw storeFailure(error, options.url);
    }
  };
  return {
    kind: 'postgres',
    query: <Row>(text: string, params: readonly SqlValue[] = []) => run<Row>(pool, text, params),
    async exec(text) {
      await run(pool, text, []);
    },
    async transaction(work) {
      const client = await pool.connect().catch(fail);
      // A connection the server drops while we hold it reports here; the query in flight fails too.
      const ignore = (): void => undefined;
      client.on('error', ignore);
      let broken = false;
      try {
        await client.query('BEGIN');
        const tx: SqlQueries = {
          query: <Row>(text: string, params: readonly SqlValue[] = []) => run<Row>(client, text, params),
          async exec(text) {
            await run(client, text, []);
          },
        };
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A lost connection rolls back on the server by itself; ROLLBACK here may fail too.
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw storeFailure(error, options.url);
      } finally {
        client.off('error', ignore);
        // A broken connection is dropped from the pool, not handed to the next caller.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * A database failure as a SourceError with the URL's password out of it; a lost connection is
 * retryable (the transaction rolled back on the server, so running the command again is safe).
 */
export function storeFailure(error: unknown, url: string): unknown {
  if (error instanceof SourceError) return error;
  const code = (error as { code?: unknown }).code;
  const message = redactDatabaseUrl((error as Error).message ?? String(error));
  const lost = (typeof code === 'string' && (code.startsWith('08') || code === '57P01')) || /connection terminated|ECONNRESET|ECONNREFUSED/i.test(message);
  return new SourceError(lost ? 'store-connection-lost' : 'store-query-failed', `the policy store at ${redactDatabaseUrl(url)} ${lost ? 'lost the connection' : 'failed'}: ${message}`, {
    cause: error,
    retryable: lost,
    hint: lost
      ? 'Nothing half-done was kept (each write is one transaction). Run the command again once the server is reachable.'
      : 'This is a bug in policy-sidecar or a store changed by hand; report it with the message.',
  });
}

/** The URL without its password: `postgres://user:***@host/db`. */
export function redactDatabaseUrl(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@');
}
