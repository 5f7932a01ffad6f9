/**
 * The policy store (SPEC §5), the only door to PostgreSQL: embedded PGlite in a folder by
 * default, or a PostgreSQL server for many runners and `serve` replicas. Opening applies the
 * migrations. Callers get typed records; the SQL stays in this folder.
 */
import { migrateStore, type MigrationOutcome } from './migrate.js';
import { recordApprovalVerdict, type ApprovalVerdictInput } from './approval-records.js';
import { recordAuditRow, type AuditRowInput } from './audit-records.js';
import { readCoverage, type CoverageRow } from './coverage-reads.js';
import {
  findingsOf,
  recordDefaultBranchFindings,
  setFindingState,
  type FindingInput,
  type FindingRecord,
  type FindingsRecordOutcome,
  type FindingState,
  type RecordFindingsOptions,
} from './finding-records.js';
import { findPolicies, listPolicies, policyVersions, readPolicyProjects, type PolicyRecord, type PolicyVersionRecord, type StoredPolicyProject } from './policy-reads.js';
import { writePolicyProject, type PolicyProjectSnapshot, type PolicyProjectWrite } from './policy-writes.js';
import { recordPipeline, recordVerdict, type PipelineRecordInput, type VerdictInput } from './pipeline-records.js';
import { showProject, type ProjectView } from './project-reads.js';
import { refreshStatistics, writeProjectsAndLinks, type LinkSnapshot, type ProjectSnapshot, type ProjectsWrite } from './project-writes.js';
import type { SqlClient } from './sql-client.js';

export type StoreLocation =
  | { readonly kind: 'pglite'; readonly dir: string | undefined }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string | undefined };

export interface PolicyStore {
  readonly kind: SqlClient['kind'];
  readonly migration: MigrationOutcome;
  // sync
  writePolicyProject(snapshot: PolicyProjectSnapshot): Promise<PolicyProjectWrite>;
  writeProjectsAndLinks(projects: readonly ProjectSnapshot[], links: readonly LinkSnapshot[], policyProjects: readonly string[]): Promise<ProjectsWrite>;
  policyProjectCommit(path: string): Promise<string | undefined>;
  // questions
  listPolicies(): Promise<PolicyRecord[]>;
  findPolicies(idOrName: string): Promise<PolicyRecord[]>;
  policyVersions(policyId: string): Promise<PolicyVersionRecord[]>;
  showProject(path: string): Promise<ProjectView | undefined>;
  coverage(policyId: string, digest: string, since?: Date): Promise<CoverageRow[]>;
  readPolicyProjects(paths: readonly string[]): Promise<StoredPolicyProject[]>;
  // records other commands write (compose, evaluate; verify #13 and audit #16 later)
  recordPipeline(input: PipelineRecordInput): Promise<number>;
  recordVerdict(input: VerdictInput): Promise<boolean>;
  /** evaluate's approval verdict of a merge request pipeline; leaves compose's record of it alone. */
  recordApprovalVerdict(input: ApprovalVerdictInput): Promise<void>;
  recordAuditRow(row: AuditRowInput): Promise<void>;
  /** With `options.pipelineId`: nothing changes when a pipeline with a larger id recorded first. */
  recordDefaultBranchFindings(projectPath: string, findings: readonly FindingInput[], options?: RecordFindingsOptions): Promise<FindingsRecordOutcome>;
  /** `reason`: why a person decided (findings dismiss --reason); kept with the state. */
  setFindingState(projectPath: string, identity: string, state: FindingState, reason?: string): Promise<boolean>;
  /** `state`: only the findings in it. */
  findingsOf(projectPath: string, state?: FindingState): Promise<FindingRecord[]>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** The clock: timestamps written are its, never the database's. */
  readonly now?: () => Date;
}

export async function openStore(location: StoreLocation, options: StoreOptions = {}): Promise<PolicyStore> {
  // Imported here, not at the top: a command without a store never loads PGlite or pg.
  const client =
    location.kind === 'pglite'
      ? await (await import('./pglite-client.js')).openPgliteClient(location.dir)
      : await (await import('./postgres-client.js')).openPostgresClient({ url: location.url, schema: location.schema });
  return storeOn(client, options);
}

/** A store on an already open client (tests share one PGlite per file). */
export async function storeOn(client: SqlClient, options: StoreOptions = {}): Promise<PolicyStore> {
  const now = options.now ?? (() => new Date());
  let migration: MigrationOutcome;
  try {
    migration = await migrateStore(client, now());
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return {
    kind: client.kind,
    migration,
    writePolicyProject: (snapshot) => client.transaction((tx) => writePolicyProject(tx, snapshot, now())),
    async writeProjectsAndLinks(projects, links, policyProjects) {
      const written = await client.transaction((tx) => writeProjectsAndLinks(tx, projects, links, policyProjects, now()));
      await refreshStatistics(client, written);
      return written;
    },
    async policyProjectCommit(path) {
      const [row] = await client.query<{ commit_sha: string }>('SELECT commit_sha FROM policy_project WHERE path = $1', [path]);
      return row?.commit_sha;
    },
    listPolicies: () => listPolicies(client),
    findPolicies: (idOrName) => findPolicies(client, idOrName),
    policyVersions: (policyId) => policyVersions(client, policyId),
    showProject: (path) => showProject(client, path),
    coverage: (policyId, digest, since) => readCoverage(client, policyId, digest, since),
    readPolicyProjects: (paths) => readPolicyProjects(client, paths),
    recordPipeline: (input) => client.transaction((tx) => recordPipeline(tx, input, now())),
    recordVerdict: (input) => recordVerdict(client, input),
    recordApprovalVerdict: (input) => client.transaction((tx) => recordApprovalVerdict(tx, input, now())),
    recordAuditRow: (row) => recordAuditRow(client, row, now()),
    recordDefaultBranchFindings: (projectPath, findings, recordOptions) => client.transaction((tx) => recordDefaultBranchFindings(tx, projectPath, findings, now(), recordOptions)),
    setFindingState: (projectPath, identity, state, reason) => setFindingState(client, projectPath, identity, state, reason, now()),
    findingsOf: (projectPath, state) => findingsOf(client, projectPath, state),
    close: () => client.close(),
  };
}
