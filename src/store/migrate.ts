/**
 * Versioned migrations applied on open: plain numbered SQL (migrations/), a table of the applied
 * ones, each migration in its own transaction under an advisory lock, so two processes opening
 * one server at once apply each migration once, and a failed one leaves nothing behind. A store
 * that a newer policy-sidecar migrated further is refused: we would misread its tables.
 */
import { SourceError } from '../errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import type { SqlClient, SqlQueries } from './sql-client.js';

/** pg_advisory_xact_lock key of migrations: any constant no other lock of ours uses. */
const MIGRATION_LOCK = 7_262_015;

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS policy_sidecar_migration (
  version     integer PRIMARY KEY,
  name        text NOT NULL,
  applied_at  timestamptz NOT NULL
)`;

export interface MigrationOutcome {
  /** Versions this call applied, in order (empty when the store was up to date). */
  readonly applied: readonly number[];
  readonly version: number;
}

export async function migrateStore(client: SqlClient, now: Date, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationOutcome> {
  const latest = migrations.at(-1)?.version ?? 0;
  await client.transaction(async (tx) => {
    await lock(tx);
    await tx.exec(MIGRATIONS_TABLE);
  });
  const applied: number[] = [];
  for (const migration of migrations) {
    const didApply = await client.transaction(async (tx) => {
      await lock(tx);
      const done = await appliedVersions(tx);
      refuseNewer(done, latest);
      if (done.includes(migration.version)) return false;
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new SourceError('store-migration-failed', `store migration ${migration.version} (${migration.name}) failed and was rolled back: ${(error as Error).message}`, {
          cause: error,
          hint: 'The store is left at the version before it. This is a bug in policy-sidecar or a store changed by hand; report it with the message.',
        });
      }
      await tx.query('INSERT INTO policy_sidecar_migration (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, now]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  // A store already past us fails here too when nothing was left to apply.
  refuseNewer(await appliedVersions(client), latest);
  return { applied, version: latest };
}

async function lock(tx: SqlQueries): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
}

async function appliedVersions(tx: SqlQueries): Promise<number[]> {
  const rows = await tx.query<{ version: number }>('SELECT version FROM policy_sidecar_migration ORDER BY version');
  return rows.map((row) => row.version);
}

function refuseNewer(done: readonly number[], latest: number): void {
  const newest = Math.max(0, ...done);
  if (newest > latest) {
    throw new SourceError('store-too-new', `the policy store is at schema version ${newest}, newer than this policy-sidecar knows (${latest})`, {
      hint: 'A newer policy-sidecar migrated it. Run that version (or newer) against this store; an older one would misread it.',
    });
  }
}
