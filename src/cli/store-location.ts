/**
 * Where the policy store is, from the flags (docs/store.md). Commands that are about the store
 * also read POLICY_SIDECAR_DATABASE_URL / POLICY_SIDECAR_STORE and default to a folder. compose
 * and evaluate run inside the project's pipeline, where the project sets variables: a variable
 * choosing the store would let it pick which policies apply (SPEC §2 Trust), so there only the
 * flags count, as the component compiles them into the job script.
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { PolicyStore, StoreLocation } from '../store/open-store.js';
import type { CliIo } from './io.js';
import { nonEmpty } from './option-values.js';

export interface StoreFlags {
  readonly store?: string | undefined;
  readonly databaseUrl?: string | undefined;
}

export const DEFAULT_STORE_DIR = '.policy-sidecar/store';

/** sync, policies, projects, coverage, serve: flags, then variables, then the default folder. */
export function storeLocationForStoreCommands(flags: StoreFlags, io: CliIo): StoreLocation {
  const fromFlags = storeLocationFromFlags(flags, io);
  if (fromFlags !== undefined) return fromFlags;
  const url = nonEmpty(io.env['POLICY_SIDECAR_DATABASE_URL']);
  if (url !== undefined) return { kind: 'postgres', url };
  return { kind: 'pglite', dir: resolve(io.cwd, nonEmpty(io.env['POLICY_SIDECAR_STORE']) ?? DEFAULT_STORE_DIR) };
}

/** serve: flags, then variables (the operator's, not a project's); undefined means no store. */
export function storeLocationForServe(flags: StoreFlags, io: CliIo): StoreLocation | undefined {
  const fromFlags = storeLocationFromFlags(flags, io);
  if (fromFlags !== undefined) return fromFlags;
  const url = nonEmpty(io.env['POLICY_SIDECAR_DATABASE_URL']);
  if (url !== undefined) return { kind: 'postgres', url };
  const dir = nonEmpty(io.env['POLICY_SIDECAR_STORE']);
  return dir === undefined ? undefined : { kind: 'pglite', dir: resolve(io.cwd, dir) };
}

/** compose, explain: the flags only; undefined means no store. */
export function storeLocationFromFlags(flags: StoreFlags, io: CliIo): StoreLocation | undefined {
  if (flags.store !== undefined && flags.databaseUrl !== undefined) {
    throw new UsageError('bad-arguments', '--store and --database-url cannot be combined', {
      hint: '--store DIR is the embedded store; --database-url URL a PostgreSQL server.',
    });
  }
  if (flags.databaseUrl !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(flags.databaseUrl)) {
      throw new UsageError('bad-arguments', '--database-url must be a postgres:// or postgresql:// URL');
    }
    return { kind: 'postgres', url: flags.databaseUrl };
  }
  if (flags.store !== undefined) return { kind: 'pglite', dir: resolve(io.cwd, flags.store) };
  return undefined;
}

/** Opens the store; only this path loads src/store (and with it PGlite or pg). */
export async function openStoreAt(location: StoreLocation): Promise<PolicyStore> {
  const { openStore } = await import('../store/open-store.js');
  return openStore(location);
}

/** Runs `work` with the store open, and closes it whatever happens. */
export async function withStore<T>(location: StoreLocation, work: (store: PolicyStore) => Promise<T>): Promise<T> {
  const store = await openStoreAt(location);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
