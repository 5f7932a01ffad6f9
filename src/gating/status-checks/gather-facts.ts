/**
 * Reads what decide.ts needs, in the order GitLab links it: the merge request's head pipeline,
 * its compose bridge and the composed child pipeline (and the pre pipeline of the two-file layout), the required jobs (configured, or the
 * policy jobs of the compose job's report) and the child's jobs. Stops reading where the chain
 * ends; the decision says what a missing link means.
 */
import type { JobFacts, PipelineFacts, RequiredJobs, StatusCheckFacts } from './facts.js';
import type { PipelineRecord, StatusCheckGitlab } from './gitlab-port.js';
import { requiredJobsFromReport } from './required-jobs.js';
import type { StatusCheckRequest } from './status-check-request.js';

export interface GatherSettings {
  /** The trigger job of the composed pipeline. Default `policy:pipeline` (templates/policy-sidecar.yml). */
  readonly bridgeName: string;
  /**
   * The trigger job of the pre pipeline (`compose --pre-out`), whose jobs count as the composed
   * pipeline's: the required pre jobs run there. Default `policy:pre`; absent in older layouts.
   */
  readonly preBridgeName: string;
  /** The job whose artifact holds the composed report. Default `policy:compose`. */
  readonly composeJobName: string;
  /** Default `policy-report.json`. */
  readonly reportPath: string;
  /** Configured names (--required-job, POLICY_SIDECAR_REQUIRED_JOBS); empty: from the report. */
  readonly requiredJobs: readonly string[];
}

export const DEFAULT_GATHER_SETTINGS: GatherSettings = {
  bridgeName: 'policy:pipeline',
  preBridgeName: 'policy:pre',
  composeJobName: 'policy:compose',
  reportPath: 'policy-report.json',
  requiredJobs: [],
};

export type Gathered =
  | { readonly kind: 'facts'; readonly facts: StatusCheckFacts }
  | { readonly kind: 'merge-request-not-found' }
  /** The merge request's head is no longer the request's SHA: GitLab sends a new request for the new head. */
  | { readonly kind: 'head-moved'; readonly currentHeadSha: string };

const ACTIVE = new Set(['created', 'waiting_for_resource', 'preparing', 'pending', 'running', 'scheduled', 'canceling']);

// Merged results and merge train pipelines run a generated merge commit (docs "ci/pipelines/merged_results_pipelines").
const MERGE_REF = /^refs\/merge-requests\/\d+\/(merge|train)$/;

export async function gatherFacts(gitlab: StatusCheckGitlab, request: StatusCheckRequest, settings: GatherSettings): Promise<Gathered> {
  const mergeRequest = await gitlab.mergeRequest(request.projectId, request.mergeRequestIid);
  if (mergeRequest === undefined) return { kind: 'merge-request-not-found' };
  if (mergeRequest.headSha !== request.headSha) return { kind: 'head-moved', currentHeadSha: mergeRequest.headSha };
  const base = { headSha: request.headSha, headCommitMessage: request.headCommitMessage };
  const none = { pipeline: undefined, bridge: undefined, requiredJobs: undefined, childJobs: undefined };
  const record = mergeRequest.headPipeline;
  if (record === undefined) return facts({ ...base, ...none });
  const pipeline = await describePipeline(gitlab, request, record);
  if (pipeline.sha !== request.headSha && !pipeline.runsHeadCommit) return facts({ ...base, ...none, pipeline });
  const bridges = await gitlab.bridges(pipeline.projectId, pipeline.id);
  const bridge = bridges.find((candidate) => candidate.name === settings.bridgeName);
  if (bridge?.child === undefined) return facts({ ...base, ...none, pipeline, bridge });
  // GitLab creates the composed pipeline only after the pre pipeline passed; its jobs are read too.
  const preChild = bridges.find((candidate) => candidate.name === settings.preBridgeName)?.child;
  const [requiredJobs, preJobs, mainJobs] = await Promise.all([
    readRequiredJobs(gitlab, pipeline, settings),
    preChild === undefined ? [] : readJobs(gitlab, preChild),
    readJobs(gitlab, bridge.child),
  ]);
  return facts({ ...base, pipeline, bridge, requiredJobs, childJobs: [...preJobs, ...mainJobs] });
}

async function readJobs(gitlab: StatusCheckGitlab, child: { readonly projectId: number; readonly id: number }): Promise<JobFacts[]> {
  return (await gitlab.jobs(child.projectId, child.id)).map(({ name, status }) => ({ name, status }));
}

function facts(value: StatusCheckFacts): Gathered {
  return { kind: 'facts', facts: value };
}

/**
 * REST's `head_pipeline` is GitLab's raw association and its pipeline entity has no `source_sha`;
 * GraphQL `headPipeline` is `diff_head_pipeline`, which GitLab returns only when the pipeline's
 * SHA or source SHA is the head (app/models/merge_request.rb). Asked only for merge refs.
 */
async function describePipeline(gitlab: StatusCheckGitlab, request: StatusCheckRequest, record: PipelineRecord): Promise<PipelineFacts> {
  let runsHeadCommit = false;
  if (record.sha !== request.headSha && MERGE_REF.test(record.ref)) {
    runsHeadCommit = (await gitlab.confirmedHeadPipelineId(request.projectPath, request.mergeRequestIid)) === record.id;
  }
  return { ...record, runsHeadCommit };
}

async function readRequiredJobs(gitlab: StatusCheckGitlab, pipeline: PipelineFacts, settings: GatherSettings): Promise<RequiredJobs> {
  if (settings.requiredJobs.length > 0) return { kind: 'known', names: settings.requiredJobs, from: 'configuration' };
  const compose = (await gitlab.jobs(pipeline.projectId, pipeline.id)).find((job) => job.name === settings.composeJobName);
  if (compose === undefined) return { kind: 'unknown', why: `pipeline #${pipeline.id} has no ${settings.composeJobName} job`, stillComposing: false };
  if (ACTIVE.has(compose.status)) return { kind: 'unknown', why: `${settings.composeJobName} is ${compose.status}`, stillComposing: true };
  const report = await gitlab.artifactJson(pipeline.projectId, compose.id, settings.reportPath);
  if (report === undefined) return { kind: 'unknown', why: `${settings.composeJobName} (job ${compose.id}) has no ${settings.reportPath} artifact`, stillComposing: false };
  return requiredJobsFromReport(report, settings.reportPath);
}
