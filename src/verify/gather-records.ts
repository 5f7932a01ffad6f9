/**
 * Reads what GitLab recorded about a pipeline, in rounds of parallel requests: the project, the
 * pipeline; then its configuration source and head commit message (one GraphQL request), merge request, jobs and bridges; then each child
 * pipeline's jobs and the compose job's report. Requests follow the links GitLab gives (bridge →
 * downstream pipeline), never ids from the pipeline's own variables or artifacts.
 */
import { SourceError, UsageError } from '../errors.js';
import type { VerifyRecordsReader } from './records-port.js';
import { ACTIVE_STATUSES, type JobRecord, type PipelineRecord, type PipelineRecords } from './records.js';
import type { VerifySettings } from './settings.js';

const MERGE_REQUEST_REF = /^refs\/merge-requests\/(\d+)\/(head|merge|train)$/;

export async function gatherRecords(reader: VerifyRecordsReader, project: string | number, pipelineId: number, settings: VerifySettings): Promise<PipelineRecords> {
  const projectRecord = await reader.project(project);
  if (projectRecord === undefined) {
    throw new UsageError('verify-project-not-found', `project ${project} was not found`, { hint: 'Check the project path and that the token can read it (scope read_api, at least Reporter).' });
  }
  const pipeline = await reader.pipeline(projectRecord.id, pipelineId);
  if (pipeline === undefined) {
    throw new UsageError('verify-pipeline-not-found', `pipeline #${pipelineId} of ${projectRecord.path} was not found`, { hint: 'Check the pipeline id (the number in the pipeline URL).' });
  }
  return gatherForPipeline(reader, projectRecord, pipeline, settings);
}

export async function gatherForPipeline(
  reader: VerifyRecordsReader,
  projectRecord: PipelineRecords['project'],
  pipeline: PipelineRecord,
  settings: VerifySettings,
): Promise<PipelineRecords> {
  const iid = MERGE_REQUEST_REF.exec(pipeline.ref)?.[1];
  // The commit message comes with the configuration source (one GraphQL request instead of two).
  const [origin, mergeRequest, jobs, bridges] = await Promise.all([
    reader.pipelineOrigin(projectRecord.path, pipeline.iid),
    iid === undefined ? undefined : reader.mergeRequest(projectRecord.id, Number(iid)),
    reader.jobs(projectRecord.id, pipeline.id),
    reader.bridges(projectRecord.id, pipeline.id),
  ]);
  if (iid !== undefined && mergeRequest === undefined) {
    throw new SourceError('verify-merge-request-not-found', `merge request !${iid} of pipeline #${pipeline.id} was not found`, { hint: 'The token must read merge requests of the project.' });
  }
  const { configSource } = origin;
  const commitMessage = origin.commitMessage ?? (await reader.commitMessage(projectRecord.id, pipeline.sha));
  const children = bridges.filter((bridge) => bridge.downstream !== undefined && (bridge.name === settings.pipelineBridgeName || bridge.name === settings.preBridgeName));
  const compose = jobs.find((job) => job.name === settings.composeJobName);
  const [childLists, composeReport] = await Promise.all([
    Promise.all(children.map(async (bridge) => [bridge.name, await readChildJobs(reader, bridge.downstream)] as const)),
    readReport(reader, projectRecord.id, compose, settings.reportPath),
  ]);
  return { project: projectRecord, pipeline, commitMessage, configSource, mergeRequest, jobs, bridges, childJobs: Object.fromEntries(childLists), composeReport };
}

async function readChildJobs(reader: VerifyRecordsReader, downstream: { readonly projectId: number; readonly id: number } | undefined): Promise<readonly JobRecord[]> {
  return downstream === undefined ? [] : reader.jobs(downstream.projectId, downstream.id);
}

async function readReport(reader: VerifyRecordsReader, projectId: number, compose: JobRecord | undefined, path: string): Promise<unknown> {
  // A compose job that has not finished has no artifact yet; the verdict is pending then.
  if (compose === undefined || ACTIVE_STATUSES.has(compose.status)) return undefined;
  return reader.artifactJson(projectId, compose.id, path);
}
