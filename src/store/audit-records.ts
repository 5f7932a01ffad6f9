/**
 * Rows of a fleet audit run (issue #16 calls this): per project, enforced or not and what the
 * audit saw. Keyed by run and project, so a resumed run rewrites its rows instead of adding.
 */
import type { SqlQueries } from './sql-client.js';

export interface AuditRowInput {
  readonly runId: string;
  readonly projectPath: string;
  readonly enforced: boolean | null;
  /** Whatever the audit reports for the project (policies that apply, latest pipeline...). */
  readonly detail: unknown;
}

export async function recordAuditRow(db: SqlQueries, row: AuditRowInput, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO audit_record (run_id, project_path, enforced, detail, recorded_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (run_id, project_path) DO UPDATE SET enforced = excluded.enforced, detail = excluded.detail, recorded_at = excluded.recorded_at`,
    [row.runId, row.projectPath, row.enforced, JSON.stringify(row.detail ?? null), now],
  );
}
