/**
 * Migrations on open, on PGlite and on a PostgreSQL server: applied once, a second open applies
 * nothing, a failed migration rolls back whole, a store from a newer policy-sidecar is refused,
 * and two processes opening one server schema at once apply each migration once.
 */
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { migrateStore } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openStore, storeOn } from '../../src/store/open-store.js';
import { BACKENDS, SERVER_URL, backend, backendSkip, freshSchema, registerCleanup } from './store-backends.js';

const NOW = new Date('2026-12-01T10:00:00Z');

for (const name of BACKENDS) {
  const skip = backendSkip(name);
  describe.skipIf(skip !== undefined)(`store migrations on ${name}${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
    const stores = backend(name);

    it('applies every migration to a new store and records it', async () => {
      const store = await stores.open({ now: () => NOW });
      expect(store.migration.applied).toEqual(MIGRATIONS.map((migration) => migration.version));
      const rows = await stores.raw(store).query<{ version: number; name: string }>('SELECT version, name FROM policy_sidecar_migration');
      expect(rows).toEqual(MIGRATIONS.map((migration) => ({ version: migration.version, name: migration.name })));
    });

    it('applies nothing when the store is up to date', async () => {
      const store = await stores.open();
      const again = await migrateStore(stores.raw(store), NOW);
      expect(again.applied).toEqual([]);
    });

    it('rolls a failed migration back whole and keeps the store at the version before', async () => {
      const store = await stores.open();
      const raw = stores.raw(store);
      const broken = [
        ...MIGRATIONS,
        { version: 99, name: 'half-broken', sql: 'CREATE TABLE half_written (id int); INSERT INTO no_such_table VALUES (1);' },
      ];
      const failure = await migrateStore(raw, NOW, broken).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SourceError);
      expect((failure as SourceError).code).toBe('store-migration-failed');
      expect((failure as SourceError).message).toMatch(/migration 99 \(half-broken\) failed and was rolled back/);
      const tables = await raw.query<{ n: string | number }>("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'half_written'");
      expect(Number(tables[0]?.n)).toBe(0);
      const versions = await raw.query<{ version: number }>('SELECT version FROM policy_sidecar_migration ORDER BY version');
      expect(versions.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
    });

    it('refuses a store that a newer policy-sidecar migrated', async () => {
      const store = await stores.open();
      const raw = stores.raw(store);
      await raw.query('INSERT INTO policy_sidecar_migration (version, name, applied_at) VALUES ($1, $2, $3)', [MIGRATIONS.length + 1, 'from-the-future', NOW]);
      const failure = await storeOn({ ...raw, close: async () => undefined }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SourceError);
      expect((failure as SourceError).code).toBe('store-too-new');
      expect((failure as SourceError).message).toBe(
        `the policy store is at schema version ${MIGRATIONS.length + 1}, newer than this policy-sidecar knows (${MIGRATIONS.length})`,
      );
    });
  });
}

describe.skipIf(SERVER_URL === undefined)('store migrations with two processes on one server', () => {
  it('applies each migration once when two stores open one new schema at the same time', async () => {
    const schema = freshSchema();
    const url = SERVER_URL as string;
    const [first, second] = await Promise.all([openStore({ kind: 'postgres', url, schema }), openStore({ kind: 'postgres', url, schema })]);
    registerCleanup(async () => {
      await first.close();
      await second.close();
    });
    // Which of the two applied is up to the server; together exactly once each.
    expect([...first.migration.applied, ...second.migration.applied].sort()).toEqual(MIGRATIONS.map((migration) => migration.version));
  });
});
