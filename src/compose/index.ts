/**
 * The composition, in GitLab's order (gitlab-pep-sep.md §3.1, §5.3): pick the applicable pipeline
 * execution policies and scan execution policy actions, resolve each policy's CI file on its own
 * with the project's context, resolve the project's own configuration (unless an override policy
 * replaces it) and merge the scan jobs into it, merge the policy jobs, then make the merged
 * pipeline enforce its guarantees. Sources, facts and scan templates are passed in. A scheduled
 * scan pipeline (sep/scheduled-scan.ts) holds only the scan jobs of the policy it names.
 */
import type { RepositoryFacts } from '../ci/context.js';
import { DEFAULT_STAGES, POST_STAGE, PRE_STAGE } from '../ci/expand/index.js';
import type { ResolvedPipeline } from '../ci/pipeline.js';
import { resolvePipeline, type ResolveRequest } from '../ci/resolve-pipeline.js';
import { isSidecarError, PolicyError, SourceError, type SidecarError } from '../errors.js';
import { asPolicyFailure, isPolicyReadFailure, PolicyFailure, recordingProjectReads } from './fail-open.js';
import { loadPolicyFiles } from '../policies/load-policies.js';
import { selectPipelineExecutionPolicies } from '../policies/select-policies.js';
import type { PolicyDecision, PolicyFile, PolicyProjectRef } from '../policies/types.js';
import { POLICY_FILE_PATH } from '../policies/validate-policy-file.js';
import type { ProjectMetadata } from '../sources/source.js';
import { enforcePipelines, type EnforceOptions } from './enforce/index.js';
import { composeWithPolicies, emptyComposedPipeline } from './pep/index.js';
import { decideSkipCi, isDanglingSource } from './pipeline-source.js';
import {
  describeScanActions,
  mergeScanJobsIntoComposed,
  mergeScanJobsIntoProject,
  prepareScanPolicies,
  restoreScanOrigins,
  type ScanActionOutcome,
  type ScanMerge,
  type ScanPolicies,
  type ScanTemplates,
} from './sep/index.js';
import { composeScheduledScan, scheduledScanMode, scheduledScanWithoutPolicies, type ScheduledScanMode } from './sep/scheduled-scan.js';
import { withoutSidecarJobs } from './sidecar-jobs.js';
import type { ComposedPipeline, PepPolicy, PolicyPipeline } from './types.js';

export interface PolicyLimits {
  /** Pipeline execution policies read from one policy project (GitLab: 5). */
  readonly perPolicyProject: number;
  /** Pipeline execution policies applied to one pipeline (GitLab: 5). */
  readonly perPipeline: number;
}

export const DEFAULT_POLICY_LIMITS: PolicyLimits = { perPolicyProject: 5, perPipeline: 5 };

export interface ComposeRequest {
  /**
   * The project's own configuration; `text` undefined when the project has none. It carries the
   * scan templates the CLI read (templates/scans/, overlaid by --templates): none means a scan
   * execution policy action fails with `scan-template-missing`.
   */
  readonly project: Omit<ResolveRequest, 'text'> & { readonly text: string | undefined; readonly scanTemplates?: ScanTemplates };
  readonly metadata: ProjectMetadata;
  /** Security policy project paths in hierarchy order, top-most group first. */
  readonly policyProjects: readonly string[];
  /**
   * Compose without policies (and say so) when they cannot be read or are invalid. Off by
   * default: a pipeline without its required jobs must not run green.
   */
  readonly failOpen: boolean;
  /**
   * The two-file layout (`--pre-out`): the pre jobs that must succeed get a pipeline of their
   * own, triggered before the main one (compose/enforce/pre-pipeline.ts).
   */
  readonly prePipeline?: boolean;
  readonly limits: PolicyLimits;
  /** Names (never values) of variables from outside the YAML, for variables_override. */
  readonly userVariableNames: readonly string[];
}

export interface CompositionOutcome {
  readonly composed: ComposedPipeline;
  /** What is written: the composed pipeline with its guarantees made explicit. */
  readonly emitted: ResolvedPipeline;
  /** With `prePipeline`: the pipeline of the pre jobs that must succeed, written to --pre-out. */
  readonly emittedPre: ResolvedPipeline | undefined;
  readonly decisions: readonly PolicyDecision[];
  /** Per action of each applicable scan execution policy: whether and which jobs it made. */
  readonly scanActions: readonly ScanActionOutcome[];
  readonly policyFiles: readonly PolicyFile[];
  /** Set when --fail-open composed without policies: what went wrong with them. */
  readonly policyFailure: SidecarError | undefined;
}

const NO_SCAN_MERGE_REASON = 'the pipeline is not created';

export async function composePipeline(request: ComposeRequest): Promise<CompositionOutcome> {
  let policyFiles: readonly PolicyFile[];
  try {
    policyFiles = await readPolicyFiles(request);
  } catch (error) {
    if (!isPolicyReadFailure(error)) throw error;
    return failOpen(request, error);
  }
  try {
    return await composeWith(request, policyFiles);
  } catch (error) {
    // fail-open.ts: only a policy's own failure may fail open; the project's never.
    if (!(error instanceof PolicyFailure)) throw error;
    return failOpen(request, error);
  }
}

async function failOpen(request: ComposeRequest, error: SidecarError): Promise<CompositionOutcome> {
  if (!request.failOpen) throw error;
  const outcome = await composeWith(request, [], true);
  return { ...outcome, policyFailure: error };
}

async function readPolicyFiles(request: ComposeRequest): Promise<readonly PolicyFile[]> {
  const refs = await Promise.all(request.policyProjects.map((path) => readPolicyProjectRef(request.project.source, path)));
  return loadPolicyFiles(request.project.source, refs);
}

async function readPolicyProjectRef(source: ComposeRequest['project']['source'], path: string): Promise<PolicyProjectRef> {
  // The policy file is asked for with the project, not after it: one round less per compose
  // (docs/gitlab-api.md). loadPolicyFiles asks again and shares this answer, since a source sends
  // each request once per run; its errors surface there, so here they are only caught.
  source.readFile(path, POLICY_FILE_PATH, undefined).catch(() => undefined);
  const metadata = await source.readProject(path);
  if (metadata === undefined) {
    throw new SourceError('policy-project-missing', `security policy project ${path} was not found`, {
      hint: 'Check the --policy-project path and that the token can read the project.',
    });
  }
  return { path, id: metadata.id };
}

async function composeWith(request: ComposeRequest, policyFiles: readonly PolicyFile[], failedOpen = false): Promise<CompositionOutcome> {
  const { project } = request;
  const scheduled = scheduledScanMode(project.context);
  if (scheduled.kind === 'run' && failedOpen) {
    return outcomeOf(request, policyFiles, { composed: scheduledScanWithoutPolicies(scheduled.id), decisions: [], scanActions: [] });
  }
  const source = project.context.predefined['CI_PIPELINE_SOURCE'] ?? 'push';
  const selection = selectPipelineExecutionPolicies(
    policyFiles,
    { projectId: request.metadata.id, groupIds: request.metadata.groups, complianceFrameworks: request.metadata.complianceFrameworks },
    request.limits,
  );
  let selected = selection.selected;
  let decisions = selection.decisions;
  if (isDanglingSource(source) && selected.length > 0) {
    // §3.9: child pipelines and the other "dangling" sources get no policy jobs.
    decisions = notApplied(decisions, `pipeline source ${source} gets no pipeline execution policies (as in GitLab)`);
    selected = [];
  }
  const scans = await prepareScanPolicies({
    files: policyFiles,
    metadata: request.metadata,
    context: project.context,
    facts: project.facts,
    source: project.source,
    ciLimits: project.limits,
    templates: project.scanTemplates ?? new Map(),
    userVariableNames: request.userVariableNames,
    scheduledScan: scheduled.kind === 'run' ? scheduled.id : undefined,
  }).catch((error: unknown) => Promise.reject(asPolicyFailure(error)));
  // §4.1: a scheduled scan pipeline holds only the scheduled policy's scan jobs.
  // A schedule naming a policy that no longer applies is the policies' drift; failing open then runs nothing at all.
  if (scheduled.kind === 'run') return outcomeOf(request, policyFiles, scheduledScanOf(scans, decisions, scheduled.id));
  decisions = [...decisions, ...scans.selection.decisions];
  const skip = decideSkipCi({ ...project.context.predefined, ...project.context.user }, selected);
  // §5.5: a skip stands only if the scan execution policies allow it too.
  if (skip.skip && scans.selection.skipCi.skip) {
    const reason = skip.reason;
    return outcomeOf(request, policyFiles, {
      composed: withNote(emptyComposedPipeline(reason), scheduled),
      decisions: notApplied(decisions, reason),
      scanActions: describeScanActions(scans.selection, scans.generated, { merged: false, reason, replaced: [], addedStages: [] }),
    });
  }

  const policyPipelines = await Promise.all(
    selected.map((policy) => resolvePolicyPipeline(policy, project, request.metadata.path)),
  );
  const overridden = selected.some((policy) => policy.policy.strategy === 'override_project_ci');
  // §2: with an override policy the project's configuration is never read, so an invalid one cannot block enforcement.
  const projectPipeline =
    overridden || project.text === undefined ? undefined : withoutSidecarJobs(await resolvePipeline({ ...project, text: project.text }));
  const { composed, scanMerge } = mergeAll(projectPipeline, policyPipelines, scans, overridden);
  return outcomeOf(request, policyFiles, {
    composed: withNote(composed, scheduled),
    decisions: describeOutcomes(decisions, policyPipelines),
    scanActions: describeScanActions(scans.selection, scans.generated, scanMerge),
  });
}

function scheduledScanOf(scans: ScanPolicies, decisions: readonly PolicyDecision[], id: string): ReturnType<typeof composeScheduledScan> {
  try {
    return composeScheduledScan(scans, decisions, id);
  } catch (error) {
    throw asPolicyFailure(error);
  }
}

/** The parts of an outcome every path makes, with the guarantees made explicit. */
function outcomeOf(
  request: ComposeRequest,
  policyFiles: readonly PolicyFile[],
  parts: Pick<CompositionOutcome, 'composed' | 'decisions' | 'scanActions'>,
): CompositionOutcome {
  const enforced = enforcePipelines(parts.composed, enforceOptions(request, policyFiles));
  return { ...parts, emitted: enforced.main, emittedPre: enforced.pre, policyFiles, policyFailure: undefined };
}

/**
 * §5.3: scan jobs are merged into the project's configuration before the pipeline execution
 * policies (so to those they are project jobs); under override_project_ci they are added to the
 * policies' pipeline instead (17.9+).
 */
function mergeAll(
  projectPipeline: ResolvedPipeline | undefined,
  policyPipelines: readonly PolicyPipeline[],
  scans: ScanPolicies,
  overridden: boolean,
): { composed: ComposedPipeline; scanMerge: ScanMerge } {
  if (overridden) {
    const merged = mergeScanJobsIntoComposed(composeWithPolicies(undefined, policyPipelines), scans.generated);
    return { composed: merged.pipeline, scanMerge: merged.merge };
  }
  const base = mergeScanJobsIntoProject(projectPipeline, scans.generated, [PRE_STAGE, ...DEFAULT_STAGES, POST_STAGE]);
  const composed = restoreScanOrigins(composeWithPolicies(base.pipeline, policyPipelines), scans.generated);
  const scanMerge = base.merge.merged && !composed.created ? { ...base.merge, merged: false, reason: `${NO_SCAN_MERGE_REASON}: ${composed.reason}` } : base.merge;
  return { composed, scanMerge };
}

/** A POLICY_SIDECAR_SCHEDULED_SCAN that a pipeline not started by a schedule carries is ignored, and the report says so. */
function withNote(composed: ComposedPipeline, scheduled: ScheduledScanMode): ComposedPipeline {
  return scheduled.kind === 'ignored' ? { ...composed, reason: `${composed.reason}; ${scheduled.note}` } : composed;
}

function enforceOptions(request: ComposeRequest, files: readonly PolicyFile[]): EnforceOptions {
  // Stricter than GitLab by default (SPEC §3): a failed pre job stops every project job. A policy
  // file that turns `ensure_pipeline_policy_pre_succeeds` off explicitly relaxes its own
  // project's pre jobs only, as GitLab reads the experiment per policy (`experiment_enabled?`).
  const relaxed = files.filter((file) => file.experiments['ensure_pipeline_policy_pre_succeeds'] === false);
  return {
    userVariableNames: request.userVariableNames,
    preMustSucceed: true,
    relaxedPolicyProjects: relaxed.map((file) => file.policyProject.path),
    prePipeline: request.prePipeline === true,
    predefined: request.project.context.predefined,
  };
}

/**
 * One policy's CI file, resolved on its own with the project's pipeline context (§3.1 step 2).
 * Its failures are the policy's (fail-open may apply) unless a file of the project itself was
 * read for it (e.g. override_project_ci including the project's configuration).
 */
async function resolvePolicyPipeline(policy: PepPolicy, project: ComposeRequest['project'], projectPath: string): Promise<PolicyPipeline> {
  const recording = recordingProjectReads(project.source, projectPath);
  try {
    return await resolvePolicyPipelineFrom(policy, { ...project, source: recording.source });
  } catch (error) {
    throw asPolicyFailure(error, recording.reads.project);
  }
}

async function resolvePolicyPipelineFrom(policy: PepPolicy, project: ComposeRequest['project']): Promise<PolicyPipeline> {
  const { content } = policy.policy;
  const text = await project.source.readFile(content.project, content.file, content.ref);
  const where = `${content.project}:${content.file}${content.ref === undefined ? '' : `@${content.ref}`}`;
  if (text === undefined) {
    throw new PolicyError('policy-ci-missing', `Pipeline execution policy error: policy "${policy.policy.name}" includes ${where}, which does not exist`, {
      location: policy.location,
      hint: `Check content.include of the policy in ${policy.policyProject.path}, and that the file exists on ${content.ref ?? 'the default branch'}.`,
    });
  }
  try {
    const pipeline = await resolvePipeline({
      ...project,
      file: { project: content.project, path: content.file, ref: content.ref },
      text,
      // §3.8: rules:exists in a policy looks at the project holding the policy CI file.
      facts: factsForPolicy(project.facts, content.project, content.ref),
      policyPipeline: true,
    });
    // The policy's own CI file is "main" only inside its pipeline; in the report it is the policy's.
    const files = pipeline.files.map((file) => (file.kind === 'main' ? { ...file, kind: 'policy' } : file));
    return { policy, pipeline: { ...pipeline, files } };
  } catch (error) {
    if (!isSidecarError(error) || error.kind !== 'config') throw error;
    throw new PolicyError(error.code, `Pipeline execution policy error: ${error.message}`, {
      location: error.location ?? policy.location,
      hint: error.hint ?? `The CI file of policy "${policy.policy.name}" (${where}) is invalid.`,
      cause: error,
    });
  }
}

function factsForPolicy(facts: RepositoryFacts, project: string, ref: string | undefined): RepositoryFacts {
  return {
    changedPaths: (compareTo) => facts.changedPaths(compareTo),
    projectFiles: (other, otherRef) => facts.projectFiles(other ?? project, other === undefined ? ref : otherRef),
  };
}

function notApplied(decisions: readonly PolicyDecision[], reason: string): PolicyDecision[] {
  return decisions.map((decision) => (decision.applied ? { ...decision, applied: false, reason } : decision));
}

/** A selected policy whose own pipeline came out empty did not apply, and the report says why. */
function describeOutcomes(decisions: readonly PolicyDecision[], pipelines: readonly PolicyPipeline[]): PolicyDecision[] {
  return decisions.map((decision) => {
    const resolved = pipelines.find(
      (entry) => entry.policy.policyProject.path === decision.policyProject && entry.policy.index === decision.index,
    );
    if (resolved === undefined || resolved.pipeline.created) return decision;
    return { ...decision, applied: false, reason: `its pipeline is empty: ${resolved.pipeline.reason}` };
  });
}
