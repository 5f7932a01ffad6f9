/**
 * Findings seen on each project's default branch, with their state, so approval policies'
 * `vulnerability_states` (detected, dismissed...) can be judged on every tier: GitLab keeps these
 * states in its vulnerability database, which only its top tier has (reference, approvals §3).
 */
import type { SqlQueries } from './sql-client.js';
import { isoOf } from './policy-reads.js';

export type FindingState = 'detected' | 'confirmed' | 'dismissed' | 'resolved';

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
}

/**
 * The findings of a default-branch pipeline: new ones are `detected`, seen ones keep their state
 * (a dismissal stays), `resolved` ones seen again are `detected` again, and those no longer
 * reported become `resolved`.
 */
export async function recordDefaultBranchFindings(tx: SqlQueries, projectPath: string, findings: readonly FindingInput[], now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO finding (project_path, identity, report_type, severity, name, state, first_seen, last_seen)
     SELECT $1, f.identity, f.report_type, f.severity, f.name, 'detected', $3, $3
       FROM jsonb_to_recordset($2::jsonb) AS f(identity text, report_type text, severity text, name text)
     ON CONFLICT (project_path, identity) DO UPDATE SET severity = excluded.severity, name = excluded.name, last_seen = excluded.last_seen,
       state = CASE WHEN finding.state = 'resolved' THEN 'detected' ELSE finding.state END`,
    [projectPath, JSON.stringify(findings.map((finding) => ({ identity: finding.identity, report_type: finding.reportType, severity: finding.severity, name: finding.name }))), now],
  );
  await tx.query(
    `UPDATE finding SET state = 'resolved' WHERE project_path = $1 AND state <> 'resolved' AND NOT (identity = ANY($2::text[]))`,
    [projectPath, findings.map((finding) => finding.identity)],
  );
}

/** A person's decision (dismiss, confirm) on a finding of the default branch. */
export async function setFindingState(db: SqlQueries, projectPath: string, identity: string, state: FindingState): Promise<boolean> {
  const rows = await db.query<{ identity: string }>('UPDATE finding SET state = $3 WHERE project_path = $1 AND identity = $2 RETURNING identity', [projectPath, identity, state]);
  return rows.length > 0;
}

export async function findingsOf(db: SqlQueries, projectPath: string): Promise<FindingRecord[]> {
  const rows = await db.query<{ identity: string; report_type: string; severity: string; name: string; state: FindingState; first_seen: Date; last_seen: Date }>(
    'SELECT identity, report_type, severity, name, state, first_seen, last_seen FROM finding WHERE project_path = $1 ORDER BY identity',
    [projectPath],
  );
  return rows.map((row) => ({
    identity: row.identity,
    reportType: row.report_type,
    severity: row.severity,
    name: row.name,
    state: row.state,
    firstSeen: isoOf(row.first_seen),
    lastSeen: isoOf(row.last_seen),
  }));
}
