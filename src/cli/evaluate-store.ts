/**
 * `evaluate` with a policy store (docs/store.md, docs/merge-gating.md): on a default-branch
 * pipeline it records the pipeline's findings, in GitLab's pipeline id order, so their states
 * (detected, dismissed, resolved) outlive the pipeline; on a merge request it loads them for the gate (knownFindings). The store is
 * named by the flags only (store-location.ts: evaluate runs in the project's pipeline). Records
 * are what the store learns, not what enforces: a store that cannot be opened, read or written
 * warns, and the verdict is the one without a store.
 */
import { UsageError } from '../errors.js';
import { knownFindingsOf, type KnownFindings } from '../gating/approvals/known-findings.js';
import type { ReportSet } from '../gating/findings-model.js';
import { completeReportTypes } from '../gating/reports/complete-report-types.js';
import type { PolicyStore } from '../store/open-store.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';
import { writeWarning } from './no-policies-rule.js';
import { pipelineIdFrom } from './pipeline-id.js';
import { openStoreAt, storeLocationFromFlags, type StoreFlags } from './store-location.js';

/** undefined: no store given, or it could not be opened (then a warning says so). */
export async function openStoreForEvaluate(flags: StoreFlags, io: CliIo): Promise<PolicyStore | undefined> {
  const location = storeLocationFromFlags(flags, io);
  if (location === undefined) return undefined;
  try {
    return await openStoreAt(location);
  } catch (error) {
    writeWarning(io, { code: 'store-unavailable', message: `policy store not opened, evaluating without it: ${(error as Error).message}` });
    return undefined;
  }
}

/** The project's recorded findings for the gate; undefined (with a warning) when the store cannot answer. */
export async function loadKnownFindings(store: PolicyStore, projectPath: string, io: CliIo): Promise<KnownFindings | undefined> {
  try {
    return knownFindingsOf(await store.findingsOf(projectPath));
  } catch (error) {
    writeWarning(io, { code: 'store-unavailable', message: `policy store not read, evaluating without its findings: ${(error as Error).message}` });
    return undefined;
  }
}

export interface BranchPipeline {
  readonly projectPath: string;
  readonly branch: string;
  readonly defaultBranch: string;
  /** undefined: nothing in the pipeline is trusted (no compose report), so nothing is recorded. */
  readonly reports: ReportSet | undefined;
  /**
   * The pipeline whose findings these are, to keep records in GitLab's order: with --job GitLab's
   * id of the job's pipeline, in API mode without --reports the pipeline they were read from;
   * else --pipeline-id, else CI_PIPELINE_ID; undefined when none says.
   */
  readonly pipelineId: string | undefined;
}

/** Branch mode needs a store: its only output is what it records. */
export function requireStoreForBranch(flags: StoreFlags, io: CliIo): void {
  if (storeLocationFromFlags(flags, io) === undefined) {
    throw new UsageError('store-not-configured', 'evaluate on a branch pipeline records its findings in the policy store: pass --store DIR or --database-url URL', {
      hint: 'Without a store, run evaluate in merge request pipelines only (--mr-target, --mr-iid, or --job in a merge request pipeline).',
    });
  }
}

/**
 * A branch pipeline (no merge request): no approval policy is judged. Only the project's default
 * branch records findings; another branch writes nothing. Exit 0 whatever the store does.
 */
export async function recordBranchPipeline(pipeline: BranchPipeline, store: PolicyStore | undefined, io: CliIo): Promise<number> {
  const say = (text: string): void => io.stdout.write(`${text}\n`);
  if (pipeline.branch !== pipeline.defaultBranch) {
    say(`branch ${pipeline.branch} is not the default branch (${pipeline.defaultBranch}): no finding recorded`);
    return EXIT.ok;
  }
  if (pipeline.reports === undefined) {
    say(`no trusted security report in the pipeline of ${pipeline.branch}: no finding recorded`);
    return EXIT.ok;
  }
  if (store === undefined) return EXIT.ok;
  const pipelineId = orderingPipelineId(pipeline.pipelineId, io);
  if (pipelineId === 'invalid') return EXIT.ok;
  const complete = completeReportTypes(pipeline.reports);
  const findings = pipeline.reports.findings.map((finding) => ({ identity: finding.id, reportType: finding.reportType, severity: finding.severity, name: finding.name }));
  try {
    const outcome = await store.recordDefaultBranchFindings(pipeline.projectPath, findings, { completeReportTypes: complete, ...(pipelineId === undefined ? {} : { pipelineId }) });
    if ('newerPipelineId' in outcome) {
      say(`findings of pipeline ${pipelineId ?? '?'} not recorded: pipeline ${outcome.newerPipelineId} already recorded newer findings`);
      return EXIT.ok;
    }
    say(
      `findings of ${pipeline.branch} (default branch) recorded in the policy store: ${outcome.reported} reported, ${outcome.added} new, ${outcome.reopened} reopened, ${outcome.resolved} resolved`,
    );
    say(`resolved only where the report is complete: ${complete.length === 0 ? 'no report type' : complete.join(', ')}`);
  } catch (error) {
    writeWarning(io, { code: 'store-unavailable', message: `findings not recorded in the policy store: ${(error as Error).message}` });
  }
  return EXIT.ok;
}

/**
 * The pipeline id that orders the record; 'invalid' (with a warning, nothing recorded) when what
 * names it is not a pipeline id. Without one the record is made unordered, as before migration
 * 004: only outside CI (GitLab sets CI_PIPELINE_ID in every job), where an operator runs it.
 */
function orderingPipelineId(given: string | undefined, io: CliIo): number | 'invalid' | undefined {
  if (given === undefined || given === '') {
    writeWarning(io, {
      code: 'store-order-unchecked',
      message: 'no pipeline id (--job, --pipeline-id or CI_PIPELINE_ID): findings recorded without checking that a newer pipeline recorded none',
    });
    return undefined;
  }
  const id = pipelineIdFrom(given);
  if (id === undefined) {
    writeWarning(io, { code: 'store-no-pipeline-id', message: `findings not recorded in the policy store: pipeline id "${given}" is not a GitLab pipeline id` });
    return 'invalid';
  }
  return id;
}
