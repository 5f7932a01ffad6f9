/**
 * The embedded store: PGlite keeps a whole PostgreSQL in a folder, no server. It is imported
 * only when a command opens a store, since loading and starting it takes seconds (docs/store.md).
 */
import { mkdir } from 'node:fs/promises';
import { SourceError } from '../errors.js';
import type { SqlClient, SqlQueries, SqlValue } from './sql-client.js';

/** `dir` undefined: in memory (tests). */
export async function openPgliteClient(dir: string | undefined): Promise<SqlClient> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dir !== undefined) await mkdir(dir, { recursive: true });
  let db: InstanceType<typeof PGlite>;
  try {
    db = await PGlite.create(dir);
  } catch (error) {
    throw new SourceError('store-open-failed', `the policy store in ${dir ?? 'memory'} could not be opened: ${(error as Error).message}`, {
      cause: error,
      hint: 'Check the folder is a policy-sidecar store written by PGlite, and that no other process has it open.',
    });
  }
  return wrapPglite(db, async () => db.close());
}

interface PgliteLike {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  exec(text: string): Promise<unknown>;
  transaction<T>(work: (tx: { query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>; exec(text: string): Promise<unknown> }) => Promise<T>): Promise<T>;
}

/** A PGlite instance behind SqlClient; `close` is the owner's (tests share one instance per file). */
export function wrapPglite(db: PgliteLike, close: () => Promise<void>): SqlClient {
  const queries = (target: Pick<PgliteLike, 'query' | 'exec'>): SqlQueries => ({
    async query<Row>(text: string, params: readonly SqlValue[] = []) {
      return (await target.query<Row>(text, [...params])).rows;
    },
    async exec(text: string) {
      await target.exec(text);
    },
  });
  return {
    kind: 'pglite',
    ...queries(db),
    transaction: (work) => db.transaction((tx) => work(queries(tx))),
    close,
  };
}
