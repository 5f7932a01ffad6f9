/**
 * Scan execution policies for one pipeline, up to the jobs (SPEC §3 step 3): the facts their
 * rules need (open merge requests of the branch, from the Source), which actions apply
 * (select-actions.ts), and the jobs those actions make. For a scheduled scan (`scheduledScan`, the
 * value of POLICY_SIDECAR_SCHEDULED_SCAN) only the actions of the named policy apply, if its rule
 * still selects the pipeline's branch (schedule/select-scheduled-scan.ts).
 */
import type { PipelineContext, RepositoryFacts } from '../../ci/context.js';
import type { CiLimits } from '../../ci/limits.js';
import { isMap, isSeq } from '../../ci/value.js';
import type { PolicyFile } from '../../policies/types.js';
import { selectScheduledScanActions } from '../../schedule/select-scheduled-scan.js';
import type { ProjectMetadata, Source } from '../../sources/source.js';
import { generateScanJobs, type GeneratedScanJobs } from './generate-scan-jobs.js';
import type { ScanTemplates } from './scan-templates.js';
import { scheduledScanBranch } from './scheduled-scan.js';
import { DEFAULT_SCAN_LIMITS, selectScanActions, type ScanSelection, type ScanSelectionInput } from './select-actions.js';

export interface ScanPolicyRequest {
  readonly files: readonly PolicyFile[];
  readonly metadata: ProjectMetadata;
  readonly context: PipelineContext;
  readonly facts: RepositoryFacts;
  readonly source: Pick<Source, 'openMergeRequests'>;
  readonly ciLimits: CiLimits;
  readonly templates: ScanTemplates;
  readonly userVariableNames: readonly string[];
  readonly limits?: ScanSelectionInput['limits'];
  /** Set for a scheduled scan pipeline: `<policy project>:<policy index>:<rule index>`. */
  readonly scheduledScan?: string | undefined;
}

export interface ScanPolicies {
  readonly selection: ScanSelection;
  readonly generated: GeneratedScanJobs;
}

export async function prepareScanPolicies(request: ScanPolicyRequest): Promise<ScanPolicies> {
  const selection = request.scheduledScan === undefined ? await selectForPipeline(request) : selectForSchedule(request, request.scheduledScan);
  const generated = await generateScanJobs({
    actions: selection.actions,
    templates: request.templates,
    limits: request.ciLimits,
    scope: { context: request.context, facts: request.facts, userVariableNames: request.userVariableNames },
  });
  return { selection, generated };
}

function selectForSchedule(request: ScanPolicyRequest, scheduledScan: string): ScanSelection {
  const { context, metadata } = request;
  return selectScheduledScanActions({
    files: request.files,
    subject: { projectId: metadata.id, groupIds: metadata.groups, complianceFrameworks: metadata.complianceFrameworks },
    scheduledScan,
    branch: scheduledScanBranch(context, scheduledScan),
    branches: { projectPath: context.projectPath, defaultBranch: metadata.defaultBranch, protectedBranches: metadata.protectedBranches, existing: undefined },
    limits: request.limits ?? DEFAULT_SCAN_LIMITS,
  });
}

async function selectForPipeline(request: ScanPolicyRequest): Promise<ScanSelection> {
  const { context, metadata } = request;
  const variables = { ...context.predefined, ...context.user };
  const source = context.predefined['CI_PIPELINE_SOURCE'] ?? 'push';
  const tag = context.predefined['CI_COMMIT_TAG'];
  // §5.1 step 3: merge request pipelines are matched on their source branch.
  const branch = tag === undefined ? (context.predefined['CI_COMMIT_BRANCH'] ?? context.predefined['CI_MERGE_REQUEST_SOURCE_BRANCH_NAME']) : undefined;
  const openMergeRequests = branch !== undefined && asksForMergeRequests(request.files) ? await request.source.openMergeRequests(context.projectPath, branch) : [];
  const userId = Number(variables['GITLAB_USER_ID'] ?? Number.NaN);
  return selectScanActions({
    files: request.files,
    subject: { projectId: metadata.id, groupIds: metadata.groups, complianceFrameworks: metadata.complianceFrameworks },
    projectPath: context.projectPath,
    pipeline: {
      source,
      branch,
      tag,
      isChild: source === 'parent_pipeline',
      commitMessage: variables['CI_COMMIT_MESSAGE'] ?? '',
      userId: Number.isInteger(userId) ? userId : undefined,
    },
    branches: {
      default: metadata.defaultBranch,
      protected: metadata.protectedBranches,
      openMergeRequestTargets: openMergeRequests.map((mergeRequest) => mergeRequest.targetBranch),
    },
    limits: request.limits ?? DEFAULT_SCAN_LIMITS,
  });
}

/** Only `branch_type: target_default | target_protected` rules look at open merge requests (§5.1 step 4). */
function asksForMergeRequests(files: readonly PolicyFile[]): boolean {
  return files.some((file) =>
    file.policies.some(({ policy }) => {
      if (policy.type !== 'scan_execution_policy') return false;
      const rules = policy.raw['rules'];
      return isSeq(rules) && rules.some((rule) => isMap(rule) && typeof rule['branch_type'] === 'string' && rule['branch_type'].startsWith('target_'));
    }),
  );
}
