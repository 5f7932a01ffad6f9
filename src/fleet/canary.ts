/**
 * The canary phase of `rollout --apply --canary N`: the first N projects (id order, this shard)
 * that need the change are changed, a pipeline is started on each one's default branch, and
 * the rollout goes on only when every one of those pipelines succeeded and its SHA carries a
 * successful `policy-sidecar/verified` commit status (the verifier's verdict, issue #13).
 * On resume the same projects are chosen again: those changed by us (undo file) count as
 * needing the change.
 */
import { SourceError } from '../errors.js';
import type { FleetApi, FleetProject } from '../sources/gitlab/fleet-api.js';
import { VERIFIED_STATUS } from './audit-row.js';
import { rolloutProject, type RolloutSettings } from './rollout-project.js';
import { inShard, type Shard } from './shard.js';

export interface CanaryResult {
  readonly project: string;
  readonly pipelineId: number | undefined;
  readonly passed: boolean;
  readonly reason: string;
}

export interface CanaryClock {
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

/** GitLab's finished pipeline states (docs "api/pipelines"). */
const FINISHED = new Set(['success', 'failed', 'canceled', 'skipped']);
const POLL_MS = 15_000;

export async function runCanary(
  api: FleetApi,
  projects: AsyncIterable<FleetProject>,
  shard: Shard,
  count: number,
  settings: RolloutSettings,
  deadline: number,
  clock: CanaryClock,
): Promise<CanaryResult[]> {
  const chosen: FleetProject[] = [];
  for await (const project of projects) {
    if (!inShard(project.id, shard) || project.ciConfigPath === undefined || project.defaultBranch === null) continue;
    if (project.ciConfigPath !== settings.wanted || settings.changedBefore.has(project.id)) chosen.push(project);
    if (chosen.length >= count) break;
  }
  const started = await Promise.all(
    chosen.map(async (project) => {
      const row = await rolloutProject(api, project, settings);
      if (row.outcome !== 'changed') return { project, pipelineId: undefined, failure: `not changed: ${row.outcome} ${row.note}`.trim() };
      const pipeline = await api.createPipeline(project.id, project.defaultBranch ?? '');
      if (pipeline.kind !== 'found') return { project, pipelineId: undefined, failure: `could not start a pipeline (${pipeline.kind})` };
      return { project, pipelineId: pipeline.value.id, failure: undefined };
    }),
  );
  return Promise.all(
    started.map(async ({ project, pipelineId, failure }) => {
      if (pipelineId === undefined) return { project: project.path, pipelineId, passed: false, reason: failure ?? '' };
      const verdict = await waitForVerdict(api, project.id, pipelineId, deadline, clock);
      return { project: project.path, pipelineId, passed: verdict === 'success', reason: verdict === 'success' ? 'pipeline passed and was verified' : verdict };
    }),
  );
}

async function waitForVerdict(api: FleetApi, projectId: number, pipelineId: number, deadline: number, clock: CanaryClock): Promise<string> {
  for (;;) {
    const pipeline = await api.pipeline(projectId, pipelineId);
    if (pipeline.kind !== 'found') throw new SourceError(`canary-pipeline-${pipeline.kind}`, `canary pipeline ${pipelineId} of project ${projectId} cannot be read (${pipeline.kind})`);
    const { status, sha } = pipeline.value;
    if (FINISHED.has(status)) {
      if (status !== 'success') return `pipeline ${pipelineId} ${status}`;
      const verified = await api.commitStatus(projectId, sha, VERIFIED_STATUS);
      if (verified.kind === 'found' && FINISHED.has(verified.value)) return verified.value === 'success' ? 'success' : `${VERIFIED_STATUS} is ${verified.value}`;
    }
    if (clock.now() >= deadline) return `no verdict before the canary timeout (pipeline ${status})`;
    await clock.sleep(POLL_MS);
  }
}
