/**
 * Reads what GitLab recorded about a pipeline in as few requests as GitLab allows: the project
 * (memoised by `serve`), then one read of the pipeline with its configuration source, head
 * commit message, merge request, jobs, bridges and child pipelines' jobs (one GraphQL query per
 * job list page), then the compose job's report (an artifact: GraphQL gives no artifact content).
 * Requests follow the links GitLab gives (bridge → downstream pipeline), never ids from the
 * pipeline's own variables or artifacts.
 */
import { SourceError, UsageError } from '../errors.js';
import type { PipelineRead, PipelineSelector, VerifyRecordsReader } from './records-port.js';
import { ACTIVE_STATUSES, type JobRecord, type PipelineRecords, type ProjectRecord } from './records.js';
import type { VerifySettings } from './settings.js';
import { policyFreeReason } from './verify-pipeline.js';

const MERGE_REQUEST_REF = /^refs\/merge-requests\/(\d+)\/(head|merge|train)$/;

export async function gatherRecords(reader: VerifyRecordsReader, project: string | number, pipelineId: number, settings: VerifySettings): Promise<PipelineRecords> {
  const projectRecord = await reader.project(project);
  if (projectRecord === undefined) {
    throw new UsageError('verify-project-not-found', `project ${project} was not found`, { hint: 'Check the project path and that the token can read it (scope read_api, at least Reporter).' });
  }
  const records = await gatherForPipeline(reader, projectRecord, { id: pipelineId }, settings);
  if (records === undefined) {
    throw new UsageError('verify-pipeline-not-found', `pipeline #${pipelineId} of ${projectRecord.path} was not found`, { hint: 'Check the pipeline id (the number in the pipeline URL).' });
  }
  return records;
}

/** The records of the selected pipeline; undefined when GitLab has none (no such id, or no pipeline for the commit). */
export async function gatherForPipeline(reader: VerifyRecordsReader, project: ProjectRecord, which: PipelineSelector, settings: VerifySettings): Promise<PipelineRecords | undefined> {
  const read = await reader.pipelineRead(project, which, [settings.preBridgeName, settings.pipelineBridgeName]);
  if (read === undefined) return undefined;
  const { pipeline } = read;
  // The report is compared only for a pipeline that carries policies and has ended (verify-pipeline.ts):
  // a running pipeline's pending verdict costs the one read above.
  const compared = policyFreeReason(pipeline) === undefined && !ACTIVE_STATUSES.has(pipeline.status);
  const compose = compared ? read.jobs.find((job) => job.name === settings.composeJobName) : undefined;
  // What the pipeline read did not give is asked over REST, in one more round beside the report.
  const [mergeRequest, commitMessage, composeReport] = await Promise.all([
    mergeRequestOf(reader, read, project.id),
    read.commitMessage ?? reader.commitMessage(project.id, pipeline.sha),
    readReport(reader, project.id, compose, settings.reportPath),
  ]);
  return { project, pipeline, commitMessage, configSource: read.configSource, mergeRequest, jobs: read.jobs, bridges: read.bridges, childJobs: read.childJobs, composeReport };
}

async function mergeRequestOf(reader: VerifyRecordsReader, read: PipelineRead, projectId: number): Promise<PipelineRecords['mergeRequest']> {
  const iid = MERGE_REQUEST_REF.exec(read.pipeline.ref)?.[1];
  if (iid === undefined) return undefined;
  // The merge request is the one the ref names; the pipeline's own link is used only when it agrees.
  if (read.mergeRequest !== undefined && String(read.mergeRequest.iid) === iid) return read.mergeRequest;
  const mergeRequest = await reader.mergeRequest(projectId, Number(iid));
  if (mergeRequest === undefined) {
    throw new SourceError('verify-merge-request-not-found', `merge request !${iid} of pipeline #${read.pipeline.id} was not found`, { hint: 'The token must read merge requests of the project.' });
  }
  return mergeRequest;
}

async function readReport(reader: VerifyRecordsReader, projectId: number, compose: JobRecord | undefined, path: string): Promise<unknown> {
  // A compose job that has not finished has no artifact yet; the verdict is pending then.
  if (compose === undefined || ACTIVE_STATUSES.has(compose.status)) return undefined;
  return reader.artifactJson(projectId, compose.id, path);
}
