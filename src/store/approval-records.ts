/**
 * Approval verdicts: what `evaluate` decided for a merge request pipeline (migration 003). Keyed
 * by project and pipeline id, as the pipeline record is, in tables of their own: a retried job
 * rewrites one row and its policies, and compose's record of the same pipeline is never touched
 * (nor does compose's rewrite touch these).
 */
import { isoOf } from './policy-reads.js';
import type { SqlQueries } from './sql-client.js';

/** passed; violated (a violated policy requires approval: exit 1); violated-optional (approvals_required 0, exit 0). */
export type ApprovalResult = 'passed' | 'violated' | 'violated-optional';

/** How the verdict gates the merge: GitLab's approval rules, the job's exit code alone, or nothing written to a merge request. */
export type ApprovalEnforcement = 'approval-rules' | 'unavailable' | 'none';

export interface EvaluatedApprovalPolicy {
  readonly policyId: string;
  /** Content digest of the policy as evaluate read it; null when it could not be named. */
  readonly digest: string | null;
  readonly name: string;
  readonly applied: boolean;
  readonly violated: boolean;
  readonly approvalsRequired: number;
  /** Findings that violated it. */
  readonly findings: number;
}

export interface ApprovalVerdictInput {
  readonly projectPath: string;
  readonly pipelineId: number;
  readonly mergeRequestIid: number | null;
  readonly targetBranch: string;
  readonly result: ApprovalResult;
  readonly exitCode: number;
  readonly enforcement: ApprovalEnforcement;
  readonly policies: readonly EvaluatedApprovalPolicy[];
  /** The evaluate --report JSON. */
  readonly detail: unknown;
}

/** What `projects show` and the store API tell of a verdict (the detail stays in the store). */
export interface ApprovalVerdict {
  readonly pipelineId: number;
  readonly mergeRequestIid: number | null;
  readonly targetBranch: string;
  readonly result: string;
  readonly exitCode: number;
  readonly enforcement: string;
  readonly evaluatedAt: string;
  /** By name; `version` is the store's number for the digest, null when it has not synced that content. */
  readonly policies: readonly (EvaluatedApprovalPolicy & { readonly version: number | null })[];
}

export async function recordApprovalVerdict(tx: SqlQueries, input: ApprovalVerdictInput, now: Date): Promise<void> {
  const [row] = await tx.query<{ id: string | number }>(
    `INSERT INTO pipeline_approval (project_path, pipeline_id, merge_request_iid, target_branch, result, exit_code, enforcement, detail, evaluated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (project_path, pipeline_id) DO UPDATE SET merge_request_iid = excluded.merge_request_iid, target_branch = excluded.target_branch,
       result = excluded.result, exit_code = excluded.exit_code, enforcement = excluded.enforcement, detail = excluded.detail, evaluated_at = excluded.evaluated_at
     RETURNING id`,
    [input.projectPath, input.pipelineId, input.mergeRequestIid, input.targetBranch, input.result, input.exitCode, input.enforcement, JSON.stringify(input.detail ?? null), now],
  );
  const id = Number(row?.id);
  await tx.query('DELETE FROM pipeline_approval_policy WHERE pipeline_approval_id = $1', [id]);
  if (input.policies.length === 0) return;
  // A policy id twice (two policies of one name in one project) keeps the first, as compose's record does.
  await tx.query(
    `INSERT INTO pipeline_approval_policy (pipeline_approval_id, policy_id, digest, name, applied, violated, approvals_required, findings)
     SELECT $1, policy_id, NULLIF(digest, ''), name, applied, violated, approvals_required, findings
       FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::boolean[], $7::int[], $8::int[])
            AS p(policy_id, digest, name, applied, violated, approvals_required, findings)
     ON CONFLICT DO NOTHING`,
    [
      id,
      input.policies.map((policy) => policy.policyId),
      // '' for none (NULLIF above): the parameter types take no null members.
      input.policies.map((policy) => policy.digest ?? ''),
      input.policies.map((policy) => policy.name),
      input.policies.map((policy) => policy.applied),
      input.policies.map((policy) => policy.violated),
      input.policies.map((policy) => policy.approvalsRequired),
      input.policies.map((policy) => policy.findings),
    ],
  );
}

interface VerdictRow {
  id: string;
  pipeline_id: string;
  merge_request_iid: string | null;
  target_branch: string;
  result: string;
  exit_code: number;
  enforcement: string;
  evaluated_at: Date;
}

const VERDICT_COLUMNS = 'id, pipeline_id, merge_request_iid, target_branch, result, exit_code, enforcement, evaluated_at';

/** The verdict of one pipeline, or null when evaluate recorded none. */
export async function approvalVerdictOf(db: SqlQueries, projectPath: string, pipelineId: number): Promise<ApprovalVerdict | null> {
  const [row] = await db.query<VerdictRow>(`SELECT ${VERDICT_COLUMNS} FROM pipeline_approval WHERE project_path = $1 AND pipeline_id = $2`, [projectPath, pipelineId]);
  return row === undefined ? null : withPolicies(db, row);
}

/** The latest verdict of the project (by when it was evaluated), or null. */
export async function lastApprovalVerdictOf(db: SqlQueries, projectPath: string): Promise<ApprovalVerdict | null> {
  const [row] = await db.query<VerdictRow>(
    `SELECT ${VERDICT_COLUMNS} FROM pipeline_approval WHERE project_path = $1 ORDER BY evaluated_at DESC, pipeline_id DESC LIMIT 1`,
    [projectPath],
  );
  return row === undefined ? null : withPolicies(db, row);
}

async function withPolicies(db: SqlQueries, row: VerdictRow): Promise<ApprovalVerdict> {
  const policies = await db.query<{ policy_id: string; digest: string | null; name: string; applied: boolean; violated: boolean; approvals_required: number; findings: number; number: number | null }>(
    `SELECT a.policy_id, a.digest, a.name, a.applied, a.violated, a.approvals_required, a.findings, v.number
       FROM pipeline_approval_policy a LEFT JOIN policy_version v ON v.policy_id = a.policy_id AND v.digest = a.digest
      WHERE a.pipeline_approval_id = $1 ORDER BY a.name, a.policy_id`,
    [row.id],
  );
  return {
    pipelineId: Number(row.pipeline_id),
    mergeRequestIid: row.merge_request_iid === null ? null : Number(row.merge_request_iid),
    targetBranch: row.target_branch,
    result: row.result,
    exitCode: row.exit_code,
    enforcement: row.enforcement,
    evaluatedAt: isoOf(row.evaluated_at),
    policies: policies.map((policy) => ({
      policyId: policy.policy_id,
      name: policy.name,
      digest: policy.digest,
      version: policy.number,
      applied: policy.applied,
      violated: policy.violated,
      approvalsRequired: policy.approvals_required,
      findings: policy.findings,
    })),
  };
}
