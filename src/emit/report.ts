/**
 * The JSON report (SPEC §6): what was applied and why, for machines. Field order is fixed and
 * nothing time- or host-dependent is written, so the report is as deterministic as the YAML.
 */
import type { CompositionOutcome } from '../compose/index.js';
import type { ScanActionOutcome } from '../compose/sep/index.js';
import type { ResolvedJob } from '../ci/pipeline.js';
import type { ComposedJob, JobOrigin } from '../compose/types.js';
import { formatLocation, type SourceLocation } from '../errors.js';
import { findNoPolicies } from '../policies/no-policies.js';
import type { PolicyDecision, PolicyFile } from '../policies/types.js';
import { policyDigest } from './policy-digest.js';

export interface ReportSubject {
  readonly project: string;
  readonly configPath: string;
  readonly pipelineSource: string;
  readonly ref: string;
}

export type PolicyOutcome = 'applied' | 'applied-no-jobs' | 'not-applied';

export type JobOriginKind = 'project' | 'policy' | 'scan-policy' | 'sidecar';

export interface ReportJob {
  readonly name: string;
  /**
   * The child pipeline the job runs in: `pre` (written to --pre-out, triggered by `policy:pre`)
   * or `main` (the composed pipeline, `policy:pipeline`). Optional for older readers.
   */
  readonly pipeline?: 'pre' | 'main';
  readonly originalName: string;
  readonly origin: JobOriginKind;
  readonly policy: string | null;
  readonly policyProject: string | null;
  /** Stage in the emitted pipeline (reserved policy stages mapped to ones GitLab accepts). */
  readonly stage: string;
  /** Stage the job's own configuration gave it. */
  readonly declaredStage: string;
  readonly when: string;
  /** Whether the job may fail without failing its pipeline (`allow_failure` true or exit codes). Optional for older readers. */
  readonly allowFailure?: boolean;
  readonly decidedBy: string;
  readonly definedAt: string | null;
}

export interface PipelineReport {
  readonly version: 1;
  readonly project: string;
  readonly configPath: string;
  readonly pipelineSource: string;
  readonly ref: string;
  readonly created: boolean;
  readonly reason: string;
  readonly name: string | null;
  readonly policyFailure: { readonly code: string; readonly message: string } | null;
  /**
   * What the reader must know although composing succeeded, e.g. `no-policies`. Always written;
   * optional for readers of reports written before it.
   */
  readonly warnings?: readonly { readonly code: string; readonly message: string }[];
  readonly policies: readonly {
    readonly name: string;
    readonly type: string;
    readonly policyProject: string;
    readonly index: number;
    readonly applied: boolean;
    readonly reason: string;
    /**
     * `applied-no-jobs`: the policy applied but every job it made dropped out by rules, so none of
     * its jobs runs in this pipeline (`droppedBy` names them and the rules). Never just "applied".
     */
    readonly outcome?: PolicyOutcome;
    readonly droppedBy?: readonly string[];
    /**
     * `sha256:<hex>` of the policy's entry in its policy.yml (policy-digest.ts): the version of the
     * policy this pipeline was composed with, which `verify` recomputes. Optional for older readers.
     */
    readonly digest?: string;
  }[];
  /**
   * Per action of each applicable scan execution policy: the jobs it made, or why none. Always
   * written; optional for readers of reports written before scan execution policies.
   */
  readonly scanActions?: readonly ScanActionOutcome[];
  readonly stages: readonly string[];
  readonly jobs: readonly ReportJob[];
  readonly excludedJobs: readonly { readonly name: string; readonly reason: string; readonly definedAt: string | null }[];
  readonly droppedPolicyJobs: readonly { readonly name: string; readonly policy: string; readonly reason: string }[];
  readonly files: readonly { readonly kind: string; readonly location: string }[];
}

export function buildReport(outcome: CompositionOutcome, subject: ReportSubject): PipelineReport {
  const { composed, emitted } = outcome;
  const byName = new Map<string, ComposedJob>(composed.jobs.map((job) => [job.name, job]));
  return {
    version: 1,
    project: subject.project,
    configPath: subject.configPath,
    pipelineSource: subject.pipelineSource,
    ref: subject.ref,
    created: emitted.created,
    reason: emitted.reason,
    name: emitted.name ?? null,
    policyFailure: outcome.policyFailure === undefined ? null : { code: outcome.policyFailure.code, message: outcome.policyFailure.message },
    warnings: warningsOf(outcome),
    policies: outcome.decisions.map((decision) => ({ ...decision, ...policyOutcome(decision, outcome), ...digestOf(decision, outcome.policyFiles) })),
    scanActions: outcome.scanActions.map((action) => ({ ...action })),
    stages: [...emitted.stages],
    jobs: [
      ...(outcome.emittedPre?.jobs ?? []).map((job) => reportJob(job, 'pre', byName)),
      ...emitted.jobs.map((job) => reportJob(job, 'main', byName)),
    ],
    excludedJobs: composed.excluded.map((job) => ({ name: job.name, reason: job.reason, definedAt: shownLocation(job.location) })),
    droppedPolicyJobs: composed.droppedPolicyJobs.map((job) => ({ name: job.name, policy: job.policy.policy.name, reason: job.reason })),
    files: composed.files.map((file) => ({ kind: file.kind, location: file.location })),
  };
}

/** One job of the report, `pipeline` saying which child pipeline it runs in. */
function reportJob(job: ResolvedJob, pipeline: 'pre' | 'main', byName: ReadonlyMap<string, ComposedJob>): ReportJob {
  const composedJob = byName.get(job.name);
  const policy = composedJob === undefined ? undefined : policyOf(composedJob.origin);
  return {
    name: job.name,
    pipeline,
    originalName: composedJob?.originalName ?? job.name,
    origin: composedJob === undefined ? 'sidecar' : composedJob.origin.kind,
    policy: policy?.policy.name ?? null,
    policyProject: policy?.policyProject.path ?? null,
    stage: job.stage,
    declaredStage: composedJob?.stage ?? job.stage,
    when: job.when,
    allowFailure: job.allowFailure === true || (typeof job.allowFailure === 'object' && job.allowFailure !== null),
    decidedBy: job.decision,
    definedAt: shownLocation(job.location),
  };
}

/**
 * Whether an applied policy has a job in the pipeline. A pipeline execution policy's jobs are its
 * merge's; a scan execution policy's are its actions'. Other policy types make no jobs here.
 */
function policyOutcome(decision: PolicyDecision, outcome: CompositionOutcome): { outcome: PolicyOutcome; droppedBy: string[] } {
  if (!decision.applied) return { outcome: 'not-applied', droppedBy: [] };
  if (decision.type === 'scan_execution_policy') {
    const actions = outcome.scanActions.filter((action) => action.policy === decision.name && (action.policyProject === null || action.policyProject === decision.policyProject));
    // No action described (a scheduled scan policy in a pipeline), or one with jobs here.
    if (actions.length === 0 || actions.some((action) => action.outcome === 'applied')) return { outcome: 'applied', droppedBy: [] };
    const dropped = actions.flatMap((action) => (action.outcome === 'applied-no-jobs' ? action.droppedBy : [`action ${action.action} (${action.scan}): ${action.reason}`]));
    return { outcome: 'applied-no-jobs', droppedBy: dropped };
  }
  if (decision.type === 'pipeline_execution_policy') {
    const merge = outcome.composed.policyMerges.find(
      (candidate) => candidate.policy.policy.name === decision.name && candidate.policy.policyProject.path === decision.policyProject && candidate.policy.index === decision.index,
    );
    if (merge === undefined || merge.jobs.length > 0) return { outcome: 'applied', droppedBy: [] };
    const dropped = [...merge.excluded.map((job) => `${job.name}: ${job.reason}`), ...outcome.composed.droppedPolicyJobs.filter((job) => job.policy === merge.policy).map((job) => `${job.name}: ${job.reason}`)];
    return { outcome: 'applied-no-jobs', droppedBy: dropped.length > 0 ? dropped : [merge.reason] };
  }
  return { outcome: 'applied', droppedBy: [] };
}

function warningsOf(outcome: CompositionOutcome): { code: string; message: string }[] {
  // A failed-open run has its own, louder warning (policyFailure).
  const noPolicies = outcome.policyFailure === undefined ? findNoPolicies(outcome.policyFiles) : undefined;
  return noPolicies === undefined ? [] : [{ ...noPolicies }];
}

/** The digest of the loaded policy a decision is about; none when it is not among the files read. */
function digestOf(decision: PolicyDecision, files: readonly PolicyFile[]): { digest?: string } {
  const loaded = files
    .filter((file) => file.policyProject.path === decision.policyProject)
    .flatMap((file) => file.policies)
    .find((candidate) => candidate.index === decision.index && candidate.policy.name === decision.name && candidate.policy.type === decision.type);
  return loaded === undefined ? {} : { digest: policyDigest(loaded.policy) };
}

function policyOf(origin: JobOrigin) {
  return origin.kind === 'policy' || origin.kind === 'scan-policy' ? origin.policy : undefined;
}

function shownLocation(location: SourceLocation | undefined): string | null {
  return location === undefined ? null : formatLocation(location);
}

export function emitReportJson(report: PipelineReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
