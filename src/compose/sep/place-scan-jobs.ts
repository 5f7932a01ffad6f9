/**
 * Scan jobs into a pipeline, as GitLab's SecurityOrchestrationPolicies::Processor merges them
 * into the project configuration (gitlab-pep-sep.md §5.3): non-DAST jobs in `test`, or in a
 * `scan-policies` stage inserted right after the later of `.pre`/`build` when there is no `test`;
 * DAST jobs in `dast`, inserted just before `.post`; a job of the same name is replaced, and the
 * scan jobs come last, as keys merged into a hash do.
 */
import { POST_STAGE, PRE_STAGE } from '../../ci/expand/index.js';
import type { ResolvedJob } from '../../ci/pipeline.js';
import { PolicyError } from '../../errors.js';
import type { ComposedJob } from '../types.js';

export const SCAN_POLICIES_STAGE = 'scan-policies';
export const DAST_STAGE = 'dast';
const TEST_STAGE = 'test';

export interface ScanPlacement<J extends ResolvedJob> {
  readonly stages: readonly string[];
  readonly jobs: readonly (J | ComposedJob)[];
  /** Names of jobs of the pipeline that a scan job replaced. */
  readonly replaced: readonly string[];
  /** Stages the scan jobs added. */
  readonly addedStages: readonly string[];
}

/** `stages` may be a project's (`.pre … .post`) or a composed pipeline's (reserved stages around them). */
export function placeScanJobs<J extends ResolvedJob>(stages: readonly string[], jobs: readonly J[], scanJobs: readonly ComposedJob[]): ScanPlacement<J> {
  const list = [...stages];
  const added: string[] = [];
  const isDast = (job: ComposedJob) => job.origin.kind === 'scan-policy' && job.origin.scan === 'dast';
  const others = scanJobs.filter((job) => !isDast(job));
  let scanStage = TEST_STAGE;
  if (others.length > 0 && !list.includes(TEST_STAGE)) {
    scanStage = SCAN_POLICIES_STAGE;
    const after = Math.max(list.indexOf(PRE_STAGE), list.indexOf('build'));
    list.splice(after + 1, 0, SCAN_POLICIES_STAGE);
    added.push(SCAN_POLICIES_STAGE);
  }
  if (scanJobs.some(isDast) && !list.includes(DAST_STAGE)) {
    const post = list.indexOf(POST_STAGE);
    list.splice(post < 0 ? list.length : post, 0, DAST_STAGE);
    added.push(DAST_STAGE);
  }
  const names = new Set(scanJobs.map((job) => job.name));
  const replaced = jobs.filter((job) => names.has(job.name)).map((job) => job.name);
  const placed = scanJobs.map((job) => {
    if (isDast(job)) return { ...job, stage: DAST_STAGE };
    // With `test` declared, a template job keeps its own stage, which must then exist.
    if (scanStage === SCAN_POLICIES_STAGE) return { ...job, stage: SCAN_POLICIES_STAGE };
    if (!list.includes(job.stage)) {
      throw new PolicyError('scan-job-stage', `${job.name} job: chosen stage ${job.stage} does not exist; available stages are ${list.join(', ')}`, {
        location: job.location,
        hint: 'Scan template jobs belong in stage test (dast: dast); change the stage in the scan template.',
      });
    }
    return job;
  });
  return { stages: list, jobs: [...jobs.filter((job) => !names.has(job.name)), ...placed], replaced, addedStages: added };
}
