/**
 * Pipeline records: which policy versions a pipeline was composed with and the result, and the
 * verifier's verdict once there is one. The API `compose`/`evaluate` use now and the verifier
 * (`verify`, issue #13) and fleet audit (#16) call later; keyed by project and pipeline id, so a
 * retried job or a second replica writing the same pipeline updates one row instead of adding one.
 */
import type { SqlQueries } from './sql-client.js';

export interface AppliedPolicyVersion {
  readonly policyId: string;
  readonly digest: string;
  readonly applied: boolean;
  readonly reason: string;
}

export interface PipelineRecordInput {
  readonly projectPath: string;
  readonly pipelineId: number;
  readonly sha: string | null;
  readonly ref: string;
  readonly source: string;
  /** `composed`, `composed-fail-open`, `failed`, or what the recording command says. */
  readonly result: string;
  readonly policies: readonly AppliedPolicyVersion[];
}

export interface VerdictInput {
  readonly projectPath: string;
  readonly pipelineId: number;
  /** e.g. `compliant`, `bypassed`, `failed`: the verifier's word. */
  readonly verdict: string;
  readonly detail?: unknown;
}

export async function recordPipeline(tx: SqlQueries, input: PipelineRecordInput, now: Date): Promise<number> {
  const [row] = await tx.query<{ id: string | number }>(
    `INSERT INTO pipeline_record (project_path, pipeline_id, sha, ref, source, result, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (project_path, pipeline_id) DO UPDATE SET sha = excluded.sha, ref = excluded.ref, source = excluded.source,
       result = excluded.result, recorded_at = excluded.recorded_at
     RETURNING id`,
    [input.projectPath, input.pipelineId, input.sha, input.ref, input.source, input.result, now],
  );
  const id = Number(row?.id);
  await tx.query('DELETE FROM pipeline_policy_version WHERE pipeline_record_id = $1', [id]);
  if (input.policies.length > 0) {
    await tx.query(
      `INSERT INTO pipeline_policy_version (pipeline_record_id, policy_id, digest, applied, reason)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::boolean[], $5::text[]) ON CONFLICT DO NOTHING`,
      [
        id,
        input.policies.map((policy) => policy.policyId),
        input.policies.map((policy) => policy.digest),
        input.policies.map((policy) => policy.applied),
        input.policies.map((policy) => policy.reason),
      ],
    );
  }
  return id;
}

/** Sets the verdict of a recorded pipeline; false when no such pipeline was recorded. */
export async function recordVerdict(db: SqlQueries, input: VerdictInput): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    'UPDATE pipeline_record SET verdict = $3, verdict_detail = $4 WHERE project_path = $1 AND pipeline_id = $2 RETURNING id',
    [input.projectPath, input.pipelineId, input.verdict, JSON.stringify(input.detail ?? null)],
  );
  return rows.length > 0;
}
