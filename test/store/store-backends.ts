/**
 * The two stores every store test runs on: PGlite (always) and a PostgreSQL server when
 * POLICY_SIDECAR_TEST_DATABASE_URL names one (.ci/run starts the cluster and sets it; elsewhere
 * the server tests skip and say so). Each test gets a schema of its own, so tests stay
 * independent. PGlite costs ~10 s to create on a busy machine, so a file shares one instance,
 * made from a data folder dumped once per machine (~1.3 s to load).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { storeOn, openStore, type PolicyStore, type StoreOptions } from '../../src/store/open-store.js';
import { wrapPglite } from '../../src/store/pglite-client.js';
import type { SqlClient } from '../../src/store/sql-client.js';

export const SERVER_URL = process.env['POLICY_SIDECAR_TEST_DATABASE_URL'] || undefined;
/** Set by .ci/run: there the server tests must run, not skip. */
const SERVER_REQUIRED = process.env['POLICY_SIDECAR_TEST_DATABASE_REQUIRED'] === '1';

export interface Backend {
  readonly name: 'pglite' | 'postgres';
  /** A fresh store in a schema of its own. */
  open(options?: StoreOptions): Promise<PolicyStore>;
  /** A raw client on that schema, for checks the store API does not offer. */
  raw(store: PolicyStore): SqlClient;
}

export const BACKENDS: readonly ('pglite' | 'postgres')[] = ['pglite', 'postgres'];

/** Whether a backend runs here, and a visible reason when it does not. */
export function backendSkip(name: 'pglite' | 'postgres'): string | undefined {
  if (name === 'pglite' || SERVER_URL !== undefined) return undefined;
  if (SERVER_REQUIRED) throw new Error('POLICY_SIDECAR_TEST_DATABASE_REQUIRED=1 but POLICY_SIDECAR_TEST_DATABASE_URL is unset');
  return 'POLICY_SIDECAR_TEST_DATABASE_URL is unset (run .ci/run to test on a PostgreSQL server)';
}

let shared: Promise<PGlite> | undefined;
const rawClients = new WeakMap<PolicyStore, SqlClient>();
const cleanups: (() => Promise<void>)[] = [];
let counter = 0;

afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
  if (shared !== undefined) await (await shared).close();
  shared = undefined;
});

export function backend(name: 'pglite' | 'postgres'): Backend {
  return {
    name,
    async open(options = {}) {
      counter += 1;
      const schema = `t_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`;
      if (name === 'pglite') {
        const db = await sharedPglite();
        await db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
        const client = wrapPglite(db, async () => undefined);
        const store = await storeOn(client, options);
        rawClients.set(store, client);
        return store;
      }
      const url = SERVER_URL as string;
      const store = await openStore({ kind: 'postgres', url, schema }, options);
      const { openPostgresClient } = await import('../../src/store/postgres-client.js');
      const client = await openPostgresClient({ url, schema, maxConnections: 2 });
      rawClients.set(store, client);
      cleanups.push(async () => {
        await client.exec(`DROP SCHEMA ${schema} CASCADE`);
        await client.close();
      });
      return store;
    },
    raw(store) {
      const client = rawClients.get(store);
      if (client === undefined) throw new Error('not a store of this backend');
      return client;
    },
  };
}

/** A new schema name on the server, for tests that open stores themselves (two replicas); dropped after the file. */
export function freshSchema(): string {
  counter += 1;
  const schema = `t_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`;
  cleanups.push(async () => {
    const { openPostgresClient } = await import('../../src/store/postgres-client.js');
    const client = await openPostgresClient({ url: SERVER_URL as string, maxConnections: 1 });
    await client.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.close());
  });
  return schema;
}

/**
 * Store flags for a CLI run on `name`: a new PGlite folder, or a fresh schema on the server (the
 * URL sets its search_path); the schema is dropped after the file.
 */
export async function cliStoreFlags(name: 'pglite' | 'postgres', prefix: string): Promise<string[]> {
  if (name === 'pglite') return ['--store', await newPgliteStoreFolder(prefix)];
  const schema = freshSchema();
  const { openPostgresClient } = await import('../../src/store/postgres-client.js');
  // Opening a client on the schema creates it, so the CLI finds it.
  const admin = await openPostgresClient({ url: SERVER_URL as string, schema, maxConnections: 1 });
  await admin.close();
  const url = new URL(SERVER_URL as string);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return ['--database-url', url.href];
}

/**
 * A new PGlite store folder for a CLI run: a copy of an empty PGlite data folder, initialised once
 * per machine and PGlite version. Opening a new folder costs a CLI about 4.4 s of CPU (PGlite runs
 * initdb), a copy about 0.6 s; the CLI still applies every migration itself. Tests of a store
 * created on first use (store-location-from-variables, sync-api, serve-store-api) keep new folders.
 */
export async function newPgliteStoreFolder(prefix: string): Promise<string> {
  const template = await emptyPgliteFolder();
  const store = join(await mkdtemp(join(tmpdir(), prefix)), 'store');
  await cp(template, store, { recursive: true });
  return store;
}

async function emptyPgliteFolder(): Promise<string> {
  // The package's exports hide its package.json from require.
  const packageJson = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
  const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
  const template = join(tmpdir(), `policy-sidecar-pglite-${version}-empty-store`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const { PGlite } = await import('@electric-sql/pglite');
  // Made aside then renamed: a file running at the same time never copies half a folder.
  const partial = await mkdtemp(`${template}.partial-`);
  const db = await PGlite.create(partial);
  await db.close();
  await rename(partial, template).catch(async (error: unknown) => {
    // Another file made it first; theirs is as good.
    if (!existsSync(join(template, 'PG_VERSION'))) throw error;
    await rm(partial, { recursive: true, force: true });
  });
  return template;
}

export function registerCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

function sharedPglite(): Promise<PGlite> {
  shared ??= createFromDump();
  return shared;
}

async function createFromDump(): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const dumpFile = join(tmpdir(), 'policy-sidecar-pglite-0.5.16.tar');
  const dump = await readFile(dumpFile).catch(() => undefined);
  if (dump !== undefined) return PGlite.create({ loadDataDir: new Blob([dump]) });
  const db = await PGlite.create();
  const data = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
  // Written aside then renamed: a file running at the same time never reads half a dump.
  const partial = `${dumpFile}.${process.pid}.partial`;
  await writeFile(partial, data);
  await rename(partial, dumpFile);
  return db;
}
