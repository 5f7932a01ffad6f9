/**
 * `evaluate` with a store, on a merge request pipeline: the approval verdict goes into the store
 * (docs/store.md), next to compose's record of the same pipeline, so `projects show` and the
 * store API can say whether the last merge request pipeline passed its approval gate. Each
 * approval policy is named by its stable id and the digest of what evaluate read (the digest sync
 * stores), as compose names its policy versions. Loaded only when a store is open.
 *
 * Records are what the store learns, not what enforces: a verdict that cannot be recorded warns,
 * and the exit code and the merge request's approval rules stay what they were.
 */
import type { ApprovalEvaluation } from '../gating/approvals/evaluate-approval-policies.js';
import { buildApprovalReport } from '../gating/approvals/approval-report.js';
import type { Enforcement } from '../gating/approvals/approval-summary.js';
import type { PolicyFile } from '../policies/types.js';
import { POLICY_FILE_PATH } from '../policies/validate-policy-file.js';
import type { Source } from '../sources/source.js';
import type { ApprovalResult, EvaluatedApprovalPolicy } from '../store/approval-records.js';
import type { PolicyStore } from '../store/open-store.js';
import { policyIdOf } from '../store/policy-id.js';
import { readPolicyContent } from '../sync/policy-content.js';
import type { CliIo } from './io.js';
import { writeWarning } from './no-policies-rule.js';
import { pipelineIdFrom } from './pipeline-id.js';

export interface EvaluatedMergeRequest {
  readonly projectPath: string;
  /** GitLab's pipeline id with --job; else --pipeline-id, else CI_PIPELINE_ID. */
  readonly pipelineId: string | undefined;
  readonly mergeRequestIid: number | undefined;
  readonly targetBranch: string;
  readonly evaluation: ApprovalEvaluation;
  readonly enforcement: Enforcement;
  readonly exitCode: number;
  /** What evaluate read its policies from, to name their versions. */
  readonly source: Source;
  readonly policyFiles: readonly PolicyFile[];
}

export async function recordApprovalVerdictOrWarn(store: PolicyStore, evaluated: EvaluatedMergeRequest, io: CliIo): Promise<void> {
  const id = pipelineIdFrom(evaluated.pipelineId);
  if (id === undefined) {
    writeWarning(io, { code: 'store-no-pipeline-id', message: 'no approval verdict recorded in the policy store: no pipeline id (--job, --pipeline-id or CI_PIPELINE_ID)' });
    return;
  }
  try {
    await store.recordApprovalVerdict({
      projectPath: evaluated.projectPath,
      pipelineId: id,
      mergeRequestIid: evaluated.mergeRequestIid ?? null,
      targetBranch: evaluated.targetBranch,
      result: resultOf(evaluated.evaluation),
      exitCode: evaluated.exitCode,
      enforcement: evaluated.enforcement,
      policies: await evaluatedPolicies(evaluated),
      detail: buildApprovalReport(evaluated.evaluation),
    });
    io.stdout.write(`approval verdict of pipeline ${id} recorded in the policy store\n`);
  } catch (error) {
    writeWarning(io, { code: 'store-unavailable', message: `approval verdict not recorded in the policy store: ${(error as Error).message}` });
  }
}

/** The exit code says blocking or not; a violation that requires no approval (approvals_required: 0) is its own result. */
function resultOf(evaluation: ApprovalEvaluation): ApprovalResult {
  if (evaluation.blocking) return 'violated';
  return evaluation.violated ? 'violated-optional' : 'passed';
}

async function evaluatedPolicies(evaluated: EvaluatedMergeRequest): Promise<EvaluatedApprovalPolicy[]> {
  const { source } = evaluated;
  const texts = new Map<string, Promise<string | undefined>>();
  const policies: EvaluatedApprovalPolicy[] = [];
  for (const policy of evaluated.evaluation.policies) {
    const loaded = evaluated.policyFiles
      .find((file) => file.policyProject.path === policy.policyProject)
      ?.policies.find((candidate) => candidate.policy.type === policy.type && candidate.index === policy.index);
    // The file as read for the evaluation: the sources memoise it, so this asks GitLab nothing more.
    let text = texts.get(policy.policyProject);
    if (text === undefined) {
      text = source.readFile(policy.policyProject, POLICY_FILE_PATH, undefined);
      texts.set(policy.policyProject, text);
    }
    const fileText = await text;
    const digest = loaded === undefined || fileText === undefined ? null : (await readPolicyContent(fileText, loaded, (project, path, ref) => source.readFile(project, path, ref))).digest;
    policies.push({
      policyId: policyIdOf(policy.policyProject, loaded?.policy.type ?? policy.type, loaded?.policy.name ?? policy.name),
      digest,
      name: policy.name,
      applied: policy.applied,
      violated: policy.violated,
      approvalsRequired: policy.approvalsRequired,
      findings: policy.findings.length,
    });
  }
  return policies;
}
