/**
 * `projects show PATH`: the project, the policy versions that apply to it and why, its last
 * recorded pipeline, and whether that pipeline ran every one of them (compliant); and the approval
 * verdicts evaluate recorded (that pipeline's, and the latest of any pipeline).
 */
import { approvalVerdictOf, lastApprovalVerdictOf, type ApprovalVerdict } from './approval-records.js';
import type { SqlQueries } from './sql-client.js';
import { isoOf } from './policy-reads.js';
import type { ProjectSnapshot } from './project-writes.js';

export interface AppliedPolicy {
  readonly policyId: string;
  readonly name: string;
  readonly type: string;
  readonly policyProject: string;
  readonly version: number;
  readonly digest: string;
  readonly reason: string;
}

export interface PipelineSummary {
  readonly pipelineId: number;
  readonly sha: string | null;
  readonly ref: string;
  readonly source: string;
  readonly result: string;
  readonly verdict: string | null;
  readonly recordedAt: string;
  readonly policies: readonly { readonly policyId: string; readonly digest: string; readonly applied: boolean }[];
  /** evaluate's approval verdict of this pipeline; null when none was recorded (not a merge request's, or no store given to evaluate). */
  readonly approval: ApprovalVerdict | null;
}

/** The project row as sync wrote it, with what applies to it and how its last pipeline went. */
export interface ProjectView extends ProjectSnapshot {
  readonly policies: readonly AppliedPolicy[];
  readonly lastPipeline: PipelineSummary | null;
  /** The latest approval verdict evaluate recorded, of whichever pipeline: the last merge request pipeline evaluated. */
  readonly lastApproval: ApprovalVerdict | null;
  /** Enforced, and the last pipeline applied the current version of every policy that applies. */
  readonly compliant: boolean;
  readonly why: string;
}

export async function showProject(db: SqlQueries, path: string): Promise<ProjectView | undefined> {
  const [project] = await db.query<{ path: string; gitlab_id: string; groups: (string | number)[]; frameworks: (string | number)[]; default_branch: string; ci_config_path: string | null; enforced: boolean | null }>(
    'SELECT path, gitlab_id, groups, frameworks, default_branch, ci_config_path, enforced FROM project WHERE path = $1',
    [path],
  );
  if (project === undefined) return undefined;
  const policies = await db.query<{ policy_id: string; name: string; type: string; policy_project: string; number: number; digest: string; reason: string }>(
    `SELECT l.policy_id, p.name, p.type, p.policy_project, v.number, l.digest, l.reason
       FROM policy_link l JOIN policy p ON p.id = l.policy_id AND p.current_digest = l.digest
       JOIN policy_version v ON v.policy_id = l.policy_id AND v.digest = l.digest
      WHERE l.project_path = $1 ORDER BY p.policy_project, p.type, p.position`,
    [path],
  );
  const lastPipeline = await lastPipelineOf(db, path);
  const applied: AppliedPolicy[] = policies.map((row) => ({
    policyId: row.policy_id,
    name: row.name,
    type: row.type,
    policyProject: row.policy_project,
    version: row.number,
    digest: row.digest,
    reason: row.reason,
  }));
  const { compliant, why } = judge(project.enforced, applied, lastPipeline);
  return {
    path: project.path,
    gitlabId: Number(project.gitlab_id),
    groups: project.groups.map(Number),
    frameworks: project.frameworks.map(Number),
    defaultBranch: project.default_branch,
    ciConfigPath: project.ci_config_path,
    enforced: project.enforced,
    policies: applied,
    lastPipeline,
    lastApproval: await lastApprovalVerdictOf(db, path),
    compliant,
    why,
  };
}

async function lastPipelineOf(db: SqlQueries, path: string): Promise<PipelineSummary | null> {
  const [row] = await db.query<{ id: string; pipeline_id: string; sha: string | null; ref: string; source: string; result: string; verdict: string | null; recorded_at: Date }>(
    `SELECT id, pipeline_id, sha, ref, source, result, verdict, recorded_at FROM pipeline_record WHERE project_path = $1
      ORDER BY recorded_at DESC, pipeline_id DESC LIMIT 1`,
    [path],
  );
  if (row === undefined) return null;
  const versions = await db.query<{ policy_id: string; digest: string; applied: boolean }>(
    'SELECT policy_id, digest, applied FROM pipeline_policy_version WHERE pipeline_record_id = $1 ORDER BY policy_id',
    [row.id],
  );
  return {
    pipelineId: Number(row.pipeline_id),
    sha: row.sha,
    ref: row.ref,
    source: row.source,
    result: row.result,
    verdict: row.verdict,
    recordedAt: isoOf(row.recorded_at),
    policies: versions.map((version) => ({ policyId: version.policy_id, digest: version.digest, applied: version.applied })),
    approval: await approvalVerdictOf(db, path, Number(row.pipeline_id)),
  };
}

/** Policy types a composed pipeline applies; approval policies are judged by `evaluate`, not recorded here. */
export const COMPOSED_POLICY_TYPES: readonly string[] = ['pipeline_execution_policy', 'scan_execution_policy'];

function judge(enforced: boolean | null, policies: readonly AppliedPolicy[], last: PipelineSummary | null): { compliant: boolean; why: string } {
  if (enforced === false) return { compliant: false, why: 'not enforced: the CI configuration file does not point at the central file' };
  if (last === null) return { compliant: false, why: 'no pipeline recorded' };
  if (last.verdict !== null && last.verdict !== 'compliant') return { compliant: false, why: `the verifier judged pipeline ${last.pipelineId} ${last.verdict}` };
  const missing = policies.filter((policy) => COMPOSED_POLICY_TYPES.includes(policy.type)).filter((policy) => !last.policies.some((ran) => ran.applied && ran.policyId === policy.policyId && ran.digest === policy.digest));
  if (missing.length > 0) {
    return { compliant: false, why: `pipeline ${last.pipelineId} did not apply ${missing.map((policy) => `${policy.name} v${policy.version}`).join(', ')}` };
  }
  if (last.result !== 'composed') return { compliant: false, why: `pipeline ${last.pipelineId} was ${last.result}` };
  return { compliant: true, why: `pipeline ${last.pipelineId} applied the current version of every policy that applies` };
}
