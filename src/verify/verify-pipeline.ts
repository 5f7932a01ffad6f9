/**
 * The verdict on one pipeline (issue 13), pure: GitLab's records and the recomputed composition
 * in, every check with its reason out. A pipeline of a source that carries no policies is
 * verified as such; a running one is pending unless it already failed a check that cannot
 * change (no compose job, configuration file switched).
 */
import { isDanglingSource } from '../compose/pipeline-source.js';
import type { PipelineReport } from '../emit/report.js';
import { checkBridge, checkComposeJob, checkConfigFile, checkConfigSource } from './check-origin.js';
import { checkRequiredJobsPresent, checkRequiredJobsSucceeded } from './check-jobs.js';
import { checkJobOrder } from './check-order.js';
import { checkPolicyVersions } from './check-policy-versions.js';
import { expectationOf } from './expectation.js';
import { ACTIVE_STATUSES, type PipelineRecord, type PipelineRecords } from './records.js';
import type { VerifySettings } from './settings.js';
import { check, verdictOf, type Check, type Verdict } from './verdict.js';

/** What recomputing the composition gave: the report compose would write, or why it failed. */
export type Recomputation = { readonly kind: 'report'; readonly report: PipelineReport } | { readonly kind: 'failed'; readonly message: string };

/**
 * Why a pipeline carries no policies, or undefined when it must. GitLab gives "dangling" sources
 * no pipeline execution policies (gitlab-pep-sep.md §3.9); a child pipeline (`parent_pipeline`)
 * is verified through its parent.
 */
export function policyFreeReason(pipeline: Pick<PipelineRecord, 'source'>): string | undefined {
  if (pipeline.source === 'parent_pipeline') return 'a child pipeline: it is verified as part of its parent pipeline';
  if (isDanglingSource(pipeline.source)) return `pipelines of source ${pipeline.source} get no pipeline execution policies in GitLab either`;
  return undefined;
}

export function verifyPipeline(records: PipelineRecords, recomputation: Recomputation | undefined, settings: VerifySettings): Verdict {
  const subject = { project: records.project.path, pipeline: records.pipeline.id, sha: records.pipeline.sha };
  const free = policyFreeReason(records.pipeline);
  if (free !== undefined) return verdictOf(subject, [check('pipeline-source', true, `pipeline #${records.pipeline.id} carries no policies: ${free}`)]);
  const origin = [checkConfigFile(records, settings), checkConfigSource(records, settings), checkComposeJob(records, settings)];
  const composeMissing = !records.jobs.some((job) => job.name === settings.composeJobName);
  if (ACTIVE_STATUSES.has(records.pipeline.status)) {
    // What cannot change while it runs fails at once; the rest waits for its end.
    const final = origin.filter((item) => !item.ok && (item.name !== 'compose-job' || composeMissing));
    if (final.length > 0) return verdictOf(subject, final);
    return verdictOf(subject, [], `pipeline #${records.pipeline.id} is ${records.pipeline.status}: verified when it ends`);
  }
  if (recomputation === undefined || recomputation.kind === 'failed') {
    const why = recomputation?.message ?? 'not recomputed';
    return verdictOf(subject, [...origin, check('recompute', false, `the policies that apply could not be recomputed: ${why}`)]);
  }
  const expectation = expectationOf(recomputation.report);
  const checks: Check[] = [...origin];
  checks.push(checkBridge(records, settings.pipelineBridgeName, 'composed-pipeline', 'composed pipeline'));
  if (expectation.jobs.some((job) => job.pipeline === 'pre')) checks.push(checkBridge(records, settings.preBridgeName, 'pre-pipeline', 'pre pipeline'));
  checks.push(checkRequiredJobsPresent(records, expectation, settings));
  checks.push(checkRequiredJobsSucceeded(records, expectation, settings));
  checks.push(checkJobOrder(records, expectation, settings));
  checks.push(checkPolicyVersions(records.composeReport, expectation, settings.reportPath));
  return verdictOf(subject, checks);
}
