/**
 * `sync` into the store on PGlite and on a PostgreSQL server: entities as expected, a second run
 * changes nothing, an edit in an included file makes exactly one new version, two syncs at once
 * store no version twice, and a connection lost mid-sync leaves no half-written version while
 * the next sync completes it.
 */
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { policyIdOf } from '../../src/store/policy-id.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { BACKENDS, SERVER_URL, backend, backendSkip, freshSchema, registerCleanup } from './store-backends.js';
import { openWorkspace } from '../../src/sources/workspace/workspace-source.js';
import { workspaceHeadCommits } from '../../src/sync/head-commits.js';
import { syncStore } from '../../src/sync/sync-store.js';
import { CENTRAL, POLICY_PROJECT, PROJECTS, copyExamples, editFile, syncWorkspace } from './sync-fixture.js';

const SUPPLY_CHAIN = policyIdOf(POLICY_PROJECT, 'pipeline_execution_policy', 'Supply-chain checks');

/** Every table's rows in a fixed order: "changes nothing" means this stays byte for byte. */
async function dumpTables(raw: SqlClient): Promise<string> {
  const tables = ['policy_project', 'policy', 'policy_version', 'project', 'policy_link'];
  const parts = [];
  for (const table of tables) parts.push(JSON.stringify(await raw.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`)));
  return parts.join('\n');
}

for (const name of BACKENDS) {
  const skip = backendSkip(name);
  describe.skipIf(skip !== undefined)(`sync on ${name}${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
    const stores = backend(name);

    it('stores every policy with one version, every project, and the links that apply with their reason', async () => {
      const store = await stores.open();
      const outcome = await syncWorkspace(store, await copyExamples());
      expect(outcome).toEqual({
        policyProjects: [{ path: POLICY_PROJECT, changed: true, versionsAdded: 7 }],
        projects: 3,
        projectsChanged: 3,
        linksAdded: 18,
        linksRemoved: 0,
      });
      const policies = await store.listPolicies();
      expect(policies.map((policy) => [policy.type, policy.position, policy.name, policy.currentVersion, policy.projects])).toEqual([
        ['approval_policy', 0, 'Block critical and high findings', 1, 3],
        ['approval_policy', 1, 'No GPL in new dependencies', 1, 3],
        ['pipeline_execution_policy', 0, 'Supply-chain checks', 1, 3],
        ['pipeline_execution_policy', 1, 'Compliance audit', 1, 2],
        ['pipeline_execution_policy', 2, 'Locked-down pipeline', 1, 1],
        ['scan_execution_policy', 0, 'Secret detection on every branch', 1, 3],
        ['scan_execution_policy', 1, 'SAST and dependency scanning on the default branch', 1, 3],
      ]);
      const [version] = await store.policyVersions(SUPPLY_CHAIN);
      expect(version?.files.map((file) => `${file.project}:${file.path}`)).toEqual(['security/policies:ci/supply-chain.yml']);
      expect(version?.yaml).toContain('name: Supply-chain checks');
      const api = await store.showProject('acme/api');
      expect(api?.enforced).toBe(false);
      expect(api?.ciConfigPath).toBeNull();
      expect(api?.policies.find((policy) => policy.name === 'Locked-down pipeline')?.reason).toBe('in scope: project 102 is in policy_scope.projects.including');
      const web = await store.showProject('acme/web');
      expect(web?.enforced).toBe(true);
      expect(web?.ciConfigPath).toBe(CENTRAL);
      expect(web?.policies.map((policy) => policy.name)).not.toContain('Locked-down pipeline');
    });

    it('changes nothing on a second run over the same sources', async () => {
      const store = await stores.open();
      const dir = await copyExamples();
      await syncWorkspace(store, dir);
      const before = await dumpTables(stores.raw(store));
      const again = await syncWorkspace(store, dir);
      expect(again).toEqual({
        policyProjects: [{ path: POLICY_PROJECT, changed: false, versionsAdded: 0 }],
        projects: 3,
        projectsChanged: 0,
        linksAdded: 0,
        linksRemoved: 0,
      });
      expect(await dumpTables(stores.raw(store))).toBe(before);
    });

    it('makes one new version when a file a policy includes changes, and moves its links to it', async () => {
      const store = await stores.open();
      const dir = await copyExamples();
      await syncWorkspace(store, dir);
      await editFile(dir, 'security/policies/ci/supply-chain.yml', (text) => `${text}\n# a change in the included file only\n`);
      const outcome = await syncWorkspace(store, dir);
      expect(outcome.policyProjects).toEqual([{ path: POLICY_PROJECT, changed: true, versionsAdded: 1 }]);
      expect(outcome.linksAdded).toBe(3);
      const versions = await store.policyVersions(SUPPLY_CHAIN);
      expect(versions.map((version) => version.number)).toEqual([1, 2]);
      expect(versions[1]?.files[0]?.text).toContain('a change in the included file only');
      const web = await store.showProject('acme/web');
      expect(web?.policies.find((policy) => policy.policyId === SUPPLY_CHAIN)?.version).toBe(2);
      // The old version keeps the projects it applied to (coverage --version 1).
      expect((await store.coverage(SUPPLY_CHAIN, versions[0]?.digest ?? '')).map((row) => row.projectPath)).toEqual(['acme/api', 'acme/ci-templates', 'acme/web']);
    });

    it('moves the links of only the projects whose links changed, and refreshes the planner statistics after a large sync', async () => {
      const store = await stores.open();
      const dir = await copyExamples();
      // 200 more projects like acme/ci-templates: with the three, more than 1,000 links.
      const more = Array.from({ length: 200 }, (_, n) => `  acme/more-${n}:\n    id: ${5000 + n}\n    compliance_frameworks: []\n    groups: [10]\n`).join('');
      await editFile(dir, 'workspace.yml', (text) => `${text.trimEnd()}\n${more}`);
      const source = await openWorkspace(dir);
      const projects = [...PROJECTS, ...Array.from({ length: 200 }, (_, n) => `acme/more-${n}`)].map((path) => ({ path, ciConfigPath: null }));
      const input = { source, headCommit: workspaceHeadCommits(source), policyProjects: [POLICY_PROJECT], projects, centralConfig: CENTRAL };
      const statistics = async () =>
        (await stores.raw(store).query<{ n: string }>(`SELECT COUNT(*) AS n FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'policy_link'`))[0]?.n;
      expect(Number(await statistics())).toBe(0);
      const first = await syncStore(store, input);
      expect(first.linksAdded).toBeGreaterThan(1000);
      expect(Number(await statistics())).toBeGreaterThan(0);
      // One project gains a framework: only its links move (Compliance audit applies to framework 3).
      await editFile(dir, 'workspace.yml', (text) => text.replace('  acme/more-7:\n    id: 5007\n    compliance_frameworks: []', '  acme/more-7:\n    id: 5007\n    compliance_frameworks: [3]'));
      const again = await openWorkspace(dir);
      const second = await syncStore(store, { ...input, source: again, headCommit: workspaceHeadCommits(again) });
      expect(second).toMatchObject({ projectsChanged: 1, linksAdded: 1, linksRemoved: 0 });
      expect((await store.showProject('acme/more-7'))?.policies.map((policy) => policy.name)).toContain('Compliance audit');
      expect((await store.showProject('acme/more-8'))?.policies.map((policy) => policy.name)).not.toContain('Compliance audit');
    });

    it('takes a project out of a policy when its compliance framework goes, and marks removed policies not current', async () => {
      const store = await stores.open();
      const dir = await copyExamples();
      await syncWorkspace(store, dir);
      await editFile(dir, 'workspace.yml', (text) => text.replace('compliance_frameworks: [3]\n    groups: [10]\n    # Merge', 'compliance_frameworks: []\n    groups: [10]\n    # Merge'));
      await editFile(dir, 'security/policies/.gitlab/security-policies/policy.yml', (text) => text.replace('- name: No GPL in new dependencies', '- name: No GPL in new dependencies (renamed)'));
      const outcome = await syncWorkspace(store, dir);
      expect(outcome.projectsChanged).toBe(1);
      const web = await store.showProject('acme/web');
      expect(web?.frameworks).toEqual([]);
      expect(web?.policies.map((policy) => policy.name)).not.toContain('Compliance audit');
      const renamedAway = (await store.listPolicies()).find((policy) => policy.name === 'No GPL in new dependencies');
      expect(renamedAway?.currentVersion).toBeNull();
    });
  });
}

describe.skipIf(SERVER_URL === undefined)('sync with two processes on one PostgreSQL server', () => {
  async function twoStores() {
    const schema = freshSchema();
    const url = SERVER_URL as string;
    const first = await openStore({ kind: 'postgres', url, schema });
    const second = await openStore({ kind: 'postgres', url, schema });
    registerCleanup(async () => {
      await first.close();
      await second.close();
    });
    return [first, second] as const;
  }

  it('stores each version once when two syncs run at the same time', async () => {
    const [first, second] = await twoStores();
    const dir = await copyExamples();
    const outcomes = await Promise.all([syncWorkspace(first, dir), syncWorkspace(second, dir)]);
    // Whichever committed first wrote the versions; the other found them there.
    expect(outcomes.map((outcome) => outcome.policyProjects[0]?.versionsAdded).sort()).toEqual([0, 7]);
    expect((await first.policyVersions(SUPPLY_CHAIN)).map((version) => version.number)).toEqual([1]);
    expect((await first.listPolicies()).length).toBe(7);
  });

  it('leaves no half-written version when the connection is lost mid-sync, and the next sync completes it', async () => {
    const { openPostgresClient } = await import('../../src/store/postgres-client.js');
    const schema = freshSchema();
    const url = SERVER_URL as string;
    const cut = await openStore({ kind: 'postgres', url, schema });
    const raw = await openPostgresClient({ url, schema, maxConnections: 1 });
    registerCleanup(async () => {
      await cut.close();
      await raw.close();
    });
    // The server drops the sync's own connection at its third version insert: a real lost connection.
    await raw.exec(`
      CREATE FUNCTION cut_connection() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT COUNT(*) FROM policy_version) >= 2 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER cut_connection BEFORE INSERT ON policy_version FOR EACH ROW EXECUTE FUNCTION cut_connection();`);
    const dir = await copyExamples();
    const failure = await syncWorkspace(cut, dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SourceError);
    expect((failure as SourceError).code).toBe('store-connection-lost');
    expect(await raw.query('SELECT * FROM policy_version')).toEqual([]);
    expect(await raw.query('SELECT * FROM policy_project')).toEqual([]);
    await raw.exec('DROP TRIGGER cut_connection ON policy_version');
    const outcome = await syncWorkspace(cut, dir);
    expect(outcome.policyProjects).toEqual([{ path: POLICY_PROJECT, changed: true, versionsAdded: 7 }]);
    expect(outcome.linksAdded).toBe(18);
  });
});
