/**
 * Findings seen on each project's default branch, with their state, so approval policies'
 * `vulnerability_states` (detected, dismissed...) can be judged on every tier: GitLab keeps these
 * states in its vulnerability database, which only its top tier has (reference, approvals §3).
 */
import type { SqlQueries } from './sql-client.js';
import { isoOf } from './policy-reads.js';

export type FindingState = 'detected' | 'confirmed' | 'dismissed' | 'resolved';

export const FINDING_STATES: readonly FindingState[] = ['detected', 'confirmed', 'dismissed', 'resolved'];

export interface FindingInput {
  /** The finding's identity as gating/reports computes it (stable across pipelines). */
  readonly identity: string;
  readonly reportType: string;
  readonly severity: string;
  readonly name: string;
}

export interface FindingRecord extends FindingInput {
  readonly state: FindingState;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Why a person set the state (`findings dismiss --reason`); null when nobody did, or gave none. */
  readonly stateReason: string | null;
  /** When a person last set the state; null when only pipelines did. */
  readonly stateChangedAt: string | null;
}

export interface RecordFindingsOptions {
  /**
   * The report types this pipeline reported completely (a valid, successful report of the type,
   * none invalid or missing): only their findings that are no longer reported become resolved.
   * A scan that did not run, failed or was refused says nothing about what it would have found.
   * Undefined: every type counts as complete.
   */
  readonly completeReportTypes?: readonly string[];
  /**
   * GitLab's id of the pipeline whose findings these are. A pipeline created earlier has a smaller
   * id (one sequence per GitLab instance), so a record from a smaller id than the project's last
   * one is a late older commit's and changes nothing; the same id again (a retried job) records.
   * Undefined: recorded without that check, and the project's last id stays.
   */
  readonly pipelineId?: number;
}

export interface FindingsRecorded {
  /** Findings the pipeline reported (distinct identities). */
  readonly reported: number;
  /** Never seen before: now `detected`. */
  readonly added: number;
  /** Were `resolved`, reported again: `detected` again. */
  readonly reopened: number;
  /** No longer reported by a complete report of their type: now `resolved`. */
  readonly resolved: number;
}

/** Not recorded: a pipeline with a larger id already recorded the project's findings. */
export interface FindingsSuperseded {
  readonly newerPipelineId: number;
}

export type FindingsRecordOutcome = FindingsRecorded | FindingsSuperseded;

/** pg_advisory_xact_lock namespace of finding writes (with the project path's hash): one default-branch write per project at a time. */
const FINDING_LOCK = 7_262_016;

/**
 * The findings of a default-branch pipeline: new ones are `detected`, seen ones keep their state
 * (a dismissal stays), `resolved` ones seen again are `detected` again, and `detected` or
 * `confirmed` ones no longer reported by a complete report of their type become `resolved`. A
 * dismissed finding that is no longer reported stays dismissed: a person's decision is kept
 * should it come back (GitLab does not auto-resolve dismissed vulnerabilities either, MR !183430).
 */
export async function recordDefaultBranchFindings(
  tx: SqlQueries,
  projectPath: string,
  findings: readonly FindingInput[],
  now: Date,
  options: RecordFindingsOptions = {},
): Promise<FindingsRecordOutcome> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [FINDING_LOCK, projectPath]);
  if (options.pipelineId !== undefined) {
    const newer = await claimFindingsOrder(tx, projectPath, options.pipelineId, now);
    if (newer !== undefined) return { newerPipelineId: newer };
  }
  // One row per identity: an upsert cannot touch the same row twice in one statement.
  const distinct = [...new Map(findings.map((finding) => [finding.identity, finding])).values()];
  const before = new Map(
    (await tx.query<{ identity: string; state: FindingState }>('SELECT identity, state FROM finding WHERE project_path = $1', [projectPath])).map((row) => [row.identity, row.state]),
  );
  await tx.query(
    `INSERT INTO finding (project_path, identity, report_type, severity, name, state, first_seen, last_seen)
     SELECT $1, f.identity, f.report_type, f.severity, f.name, 'detected', $3, $3
       FROM jsonb_to_recordset($2::jsonb) AS f(identity text, report_type text, severity text, name text)
     ON CONFLICT (project_path, identity) DO UPDATE SET severity = excluded.severity, name = excluded.name, last_seen = excluded.last_seen,
       state = CASE WHEN finding.state = 'resolved' THEN 'detected' ELSE finding.state END`,
    [projectPath, JSON.stringify(distinct.map((finding) => ({ identity: finding.identity, report_type: finding.reportType, severity: finding.severity, name: finding.name }))), now],
  );
  // NOT IN over a subquery is a hashed set in every plan; `<> ALL($2)` is hashed only when the planner sees the array as a constant.
  const resolved = await tx.query<{ identity: string }>(
    `UPDATE finding SET state = 'resolved'
      WHERE project_path = $1 AND state IN ('detected', 'confirmed') AND identity NOT IN (SELECT unnest($2::text[]))
        AND ($3::text[] IS NULL OR report_type = ANY($3::text[]))
      RETURNING identity`,
    [projectPath, distinct.map((finding) => finding.identity), options.completeReportTypes === undefined ? null : [...options.completeReportTypes]],
  );
  return {
    reported: distinct.length,
    added: distinct.filter((finding) => !before.has(finding.identity)).length,
    reopened: distinct.filter((finding) => before.get(finding.identity) === 'resolved').length,
    resolved: resolved.length,
  };
}

/**
 * Makes `pipelineId` the project's last recorded pipeline unless a larger id already is; returns
 * that larger id, or undefined when this pipeline may record. The conditional upsert takes the
 * row's lock and re-reads the committed row, so it decides rightly even without the advisory lock
 * above, and a transaction that rolls back leaves the previous id.
 */
async function claimFindingsOrder(tx: SqlQueries, projectPath: string, pipelineId: number, now: Date): Promise<number | undefined> {
  const claimed = await tx.query<{ pipeline_id: string }>(
    `INSERT INTO finding_pipeline AS last (project_path, pipeline_id, recorded_at) VALUES ($1, $2, $3)
     ON CONFLICT (project_path) DO UPDATE SET pipeline_id = excluded.pipeline_id, recorded_at = excluded.recorded_at
       WHERE last.pipeline_id <= excluded.pipeline_id
     RETURNING pipeline_id::text`,
    [projectPath, pipelineId, now],
  );
  if (claimed.length > 0) return undefined;
  // bigint as text: pg and PGlite hand bigint back differently.
  const [last] = await tx.query<{ pipeline_id: string }>('SELECT pipeline_id::text FROM finding_pipeline WHERE project_path = $1', [projectPath]);
  return Number(last?.pipeline_id);
}

/** A person's decision (dismiss, confirm, reopen) on a finding of the default branch; false when the store does not have it. */
export async function setFindingState(db: SqlQueries, projectPath: string, identity: string, state: FindingState, reason: string | undefined, now: Date): Promise<boolean> {
  const rows = await db.query<{ identity: string }>(
    'UPDATE finding SET state = $3, state_reason = $4, state_changed_at = $5 WHERE project_path = $1 AND identity = $2 RETURNING identity',
    [projectPath, identity, state, reason ?? null, now],
  );
  return rows.length > 0;
}

export async function findingsOf(db: SqlQueries, projectPath: string, state?: FindingState): Promise<FindingRecord[]> {
  const rows = await db.query<{
    identity: string;
    report_type: string;
    severity: string;
    name: string;
    state: FindingState;
    first_seen: Date;
    last_seen: Date;
    state_reason: string | null;
    state_changed_at: Date | null;
  }>(
    `SELECT identity, report_type, severity, name, state, first_seen, last_seen, state_reason, state_changed_at
       FROM finding WHERE project_path = $1 AND ($2::text IS NULL OR state = $2) ORDER BY identity`,
    [projectPath, state ?? null],
  );
  return rows.map((row) => ({
    identity: row.identity,
    reportType: row.report_type,
    severity: row.severity,
    name: row.name,
    state: row.state,
    firstSeen: isoOf(row.first_seen),
    lastSeen: isoOf(row.last_seen),
    stateReason: row.state_reason,
    stateChangedAt: row.state_changed_at === null ? null : isoOf(row.state_changed_at),
  }));
}
