/**
 * Which scan execution policy actions apply to a pipeline (gitlab-pep-sep.md §5.1, §5.5; GitLab's
 * ScanExecutionPolicies::PipelineContext and Security::ScanExecutionPolicy). Pure: the facts the
 * rules need (default and protected branches, targets of open merge requests) are passed in.
 *
 * Order of the checks: the pipeline (CI source, not a child, a branch and not a tag), then per
 * policy project the first N enabled policies and `policy_scope` (selectScanExecutionPolicies),
 * then per policy its `type: pipeline` rules: the branch check and the source check, each over
 * the whole rule list (§5.1 steps 4–5). The actions of the applicable policies: the first 10 of
 * each, flattened in hierarchy order, exact duplicates removed, scans GitLab does not inject into
 * pipelines dropped, then numbered: non-DAST actions 0..n-1, DAST actions separately.
 */
import { isDanglingSource } from '../pipeline-source.js';
import { selectScanExecutionPolicies } from '../../policies/select-policies.js';
import type { LoadedPolicy, OtherPolicy, PolicyDecision, PolicyFile, ScopeSubject } from '../../policies/types.js';
import type { ActionReason, ScanAction } from './rules/scan-action.js';
import { matchBranchRules } from './rules/branch-rules.js';
import { collectActions, type ApplicablePolicy } from './rules/collect-actions.js';
import { readScanRules, type PipelineRule } from './rules/read-scan-rules.js';
import { decideScanSkipCi, type ScanSkipDecision } from './rules/skip-ci.js';
import { matchSourceRules } from './rules/source-rules.js';

export type { ActionReason, ScanAction, ScanType } from './rules/scan-action.js';
export { PIPELINE_SCAN_TYPES } from './rules/scan-action.js';

export interface ScanSelectionInput {
  files: readonly PolicyFile[];
  subject: ScopeSubject;
  /** The project's full path, for `branch_exceptions: [{name, full_path}]`. */
  projectPath: string;
  /** `branch`: the pipeline's branch; for merge request pipelines the source branch. */
  pipeline: { source: string; branch: string | undefined; tag: string | undefined; isChild: boolean; commitMessage: string; userId: number | undefined };
  /** `protected`: project and group-level protected-branch names and patterns; `openMergeRequestTargets`: targets of open MRs from `pipeline.branch`. */
  branches: { default: string; protected: readonly string[]; openMergeRequestTargets: readonly string[] };
  limits: { perPolicyProject: number; actionsPerPolicy: number };
}

export interface ScanSelection {
  readonly actions: readonly ScanAction[];
  /** One per scan execution policy, policy projects in hierarchy order, each in file order. */
  readonly decisions: readonly PolicyDecision[];
  /** One per action of each applicable policy. */
  readonly actionReasons: readonly ActionReason[];
  /**
   * `[skip ci]` as far as scan execution policies go (§5.5): `skip` when the commit asks to skip
   * and every applicable policy allows it. The pipeline is skipped only if the pipeline execution
   * policies allow it too; `actions` are listed either way.
   */
  readonly skipCi: ScanSkipDecision;
}

export const DEFAULT_SCAN_LIMITS: ScanSelectionInput['limits'] = { perPolicyProject: 5, actionsPerPolicy: 10 };

export function selectScanActions(input: ScanSelectionInput): ScanSelection {
  const { selected, decisions } = selectScanExecutionPolicies(input.files, input.subject, { perPolicyProject: input.limits.perPolicyProject });
  const verdicts = new Map<LoadedPolicy, { applied: boolean; reason: string }>();
  const applicable: ApplicablePolicy[] = [];
  const blocker = refusePipeline(input.pipeline);
  for (const loaded of selected) {
    const verdict = blocker !== undefined ? { applied: false, reason: blocker } : checkPolicyRules(loaded, input);
    verdicts.set(loaded, verdict);
    if (verdict.applied) applicable.push({ loaded, why: verdict.reason });
  }
  const { actions, actionReasons } = collectActions(applicable, input.limits.actionsPerPolicy);
  const skipCi = decideScanSkipCi(
    input.pipeline.commitMessage,
    input.pipeline.userId,
    applicable.map(({ loaded }) => ({ name: loaded.policy.name, raw: loaded.policy.raw })),
  );
  return { actions, decisions: decisions.map((decision) => withVerdict(decision, selected, verdicts)), actionReasons, skipCi };
}

/** §5.1 steps 1 and 3: why this pipeline gets no scan execution policy jobs at all, if it does not. */
function refusePipeline(pipeline: ScanSelectionInput['pipeline']): string | undefined {
  if (pipeline.isChild || pipeline.source === 'parent_pipeline') return 'child pipelines get no scan execution policy jobs';
  if (isDanglingSource(pipeline.source)) return `pipeline source ${pipeline.source} is not a CI source: no scan execution policy jobs`;
  if (pipeline.tag !== undefined) return `tag pipelines (${pipeline.tag}) get no scan execution policy jobs: the ref must be a branch`;
  if (pipeline.branch === undefined) return 'the pipeline has no branch: no scan execution policy jobs';
  return undefined;
}

/** §5.1 steps 4–5 for one policy; `reason` says which rules matched. */
function checkPolicyRules(loaded: LoadedPolicy<OtherPolicy>, input: ScanSelectionInput): { applied: boolean; reason: string } {
  const rules = readScanRules(loaded.policy.raw).filter((rule): rule is PipelineRule => rule.type === 'pipeline');
  if (rules.length === 0) return { applied: false, reason: 'no type: pipeline rule (schedule rules run through `policy-sidecar schedule`)' };
  const branch = input.pipeline.branch ?? '';
  const branchMatch = matchBranchRules(rules, branch, {
    projectPath: input.projectPath,
    defaultBranch: input.branches.default,
    protectedBranches: input.branches.protected,
    openMergeRequestTargets: input.branches.openMergeRequestTargets,
  });
  if (!branchMatch.matched) return { applied: false, reason: branchMatch.reason };
  const sourceMatch = matchSourceRules(rules, input.pipeline.source);
  if (!sourceMatch.matched) return { applied: false, reason: sourceMatch.reason };
  // GitLab checks branches and sources separately over the rules (§5.1 step 5): say so when it matters.
  const split =
    sourceMatch.rule !== undefined && branchMatch.rule !== undefined && sourceMatch.rule !== branchMatch.rule
      ? ' (different rules: GitLab checks branches and sources separately)'
      : '';
  return { applied: true, reason: `${branchMatch.reason}; ${sourceMatch.reason}${split}` };
}

function withVerdict(
  decision: PolicyDecision,
  selected: readonly LoadedPolicy<OtherPolicy>[],
  verdicts: ReadonlyMap<LoadedPolicy, { applied: boolean; reason: string }>,
): PolicyDecision {
  const loaded = selected.find((candidate) => candidate.policyProject.path === decision.policyProject && candidate.index === decision.index);
  const verdict = loaded === undefined ? undefined : verdicts.get(loaded);
  return verdict === undefined ? decision : { ...decision, ...verdict };
}
