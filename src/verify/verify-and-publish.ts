/**
 * One verification from start to end, with the I/O passed in as ports: read the records, decide
 * whether policies apply and whether the pipeline has ended, recompute the composition only when
 * it is needed, judge; and publishing a verdict where it goes. Shared by `verify` and `serve`.
 */
import { gatherForPipeline, gatherRecords } from './gather-records.js';
import { verdictWithoutPipeline } from './head-verdict.js';
import type { CommitState, VerdictPublisher } from './publish-port.js';
import type { VerifyRecordsReader } from './records-port.js';
import { ACTIVE_STATUSES, type PipelineRecord, type PipelineRecords, type ProjectRecord } from './records.js';
import type { VerifySettings } from './settings.js';
import type { Verdict } from './verdict.js';
import { verdictNote, VERDICT_NOTE_MARKER } from './verdict-note.js';
import { policyFreeReason, verifyPipeline, type Recomputation } from './verify-pipeline.js';

/** The commit status and external status check name (issue 13). */
export const VERIFIED_STATUS_NAME = 'policy-sidecar/verified';

export interface VerificationPorts {
  readonly reader: VerifyRecordsReader;
  readonly recompute: (records: PipelineRecords) => Promise<Recomputation>;
  readonly settings: VerifySettings;
}

export interface Verification {
  readonly verdict: Verdict;
  readonly projectId: number;
  readonly ref: string | undefined;
}

export async function verifyPipelineById(ports: VerificationPorts, project: string | number, pipelineId: number): Promise<Verification> {
  const records = await gatherRecords(ports.reader, project, pipelineId, ports.settings);
  return judge(ports, records);
}

/**
 * The verdict for a commit: its newest pipeline's (child pipelines left out), or, with none, the
 * `[skip ci]` / waiting verdict. What webhooks lead to, so duplicates and late events agree.
 */
export async function verifyCommit(ports: VerificationPorts, project: ProjectRecord, sha: string): Promise<Verification> {
  const records = await gatherForPipeline(ports.reader, project, { newestForSha: sha }, ports.settings);
  if (records === undefined) {
    const message = await ports.reader.commitMessage(project.id, sha);
    return { verdict: verdictWithoutPipeline(project.path, sha, message), projectId: project.id, ref: undefined };
  }
  return judge(ports, records);
}

async function judge(ports: VerificationPorts, records: PipelineRecords): Promise<Verification> {
  const needsComposition = policyFreeReason(records.pipeline) === undefined && !ACTIVE_STATUSES.has(records.pipeline.status);
  const recomputation = needsComposition ? await ports.recompute(records) : undefined;
  return { verdict: verifyPipeline(records, recomputation, ports.settings), projectId: records.project.id, ref: refOf(records.pipeline) };
}

/** The branch or tag a commit status names; a merge request ref is not one. */
function refOf(pipeline: PipelineRecord): string | undefined {
  return pipeline.ref.startsWith('refs/') ? undefined : pipeline.ref;
}

export interface PublishOutcome {
  readonly status: 'set' | 'unchanged';
  readonly notes: readonly string[];
  readonly statusChecks: number;
}

export async function publishVerdict(publisher: VerdictPublisher, verification: Verification): Promise<PublishOutcome> {
  const { verdict, projectId, ref } = verification;
  const state: CommitState = verdict.state === 'verified' ? 'success' : verdict.state === 'failed' ? 'failed' : 'pending';
  const status = await publisher.commitStatus(projectId, verdict.sha, {
    state,
    name: VERIFIED_STATUS_NAME,
    description: verdict.summary,
    pipelineId: verdict.pipeline ?? undefined,
    ref,
  });
  if (verdict.state === 'pending') return { status, notes: [], statusChecks: 0 };
  const notes: string[] = [];
  let statusChecks = 0;
  for (const mergeRequest of await publisher.openMergeRequestsFor(projectId, verdict.sha)) {
    const outcome = await publisher.upsertNote(projectId, mergeRequest.iid, VERDICT_NOTE_MARKER, verdictNote(verdict), !verdict.verified);
    notes.push(`!${mergeRequest.iid}: ${outcome}`);
    for (const checkId of await publisher.statusCheckIds(projectId, mergeRequest.iid, VERIFIED_STATUS_NAME)) {
      await publisher.answerStatusCheck(projectId, mergeRequest.iid, verdict.sha, checkId, verdict.verified ? 'passed' : 'failed');
      statusChecks += 1;
    }
  }
  return { status, notes, statusChecks };
}
