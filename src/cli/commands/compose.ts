/** `compose`: flags → composed pipeline → YAML (standard output or --out), report, summary. */
import { composePipeline as composeWithPolicies, type CompositionOutcome } from '../../compose/index.js';
import { emitSummary } from '../../emit/explain.js';
import { emitJunit, emitJunitForFailure } from '../../emit/junit.js';
import { emitPipelineDiff } from '../../emit/pipeline-diff.js';
import { maskReport } from '../../emit/mask-report.js';
import { emitPipelineYaml } from '../../emit/pipeline-yaml.js';
import { buildReport, emitReportJson, type PipelineReport } from '../../emit/report.js';
import { isSidecarError } from '../../errors.js';
import { NO_POLICIES } from '../../policies/no-policies.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { maskerForRun } from '../masking.js';
import type { CommandOptions } from '../options.js';
import { applyNoPoliciesRule } from '../no-policies-rule.js';
import { checkStandardOutput, STANDARD_OUTPUT, writeOutputFile } from '../output-file.js';
import { requirePolicyJobsWithoutConfig } from '../project-config.js';
import type { Origin } from '../origin.js';
import { buildPipelineRequest, type PipelineRequest } from '../pipeline-request.js';
import { showingPaths } from '../shown-paths.js';
import { recordComposedPipeline, withStoredPolicies } from '../pipeline-records.js';
import { pipelineIdFrom } from '../pipeline-id.js';
import { openStoreAt, storeLocationFromFlags } from '../store-location.js';
import { UsageError } from '../../errors.js';
import type { PolicyStore } from '../../store/open-store.js';

export interface ComposeResult {
  readonly yaml: string;
  /** With --pre-out: the pre pipeline's YAML. */
  readonly preYaml: string | undefined;
  readonly report: PipelineReport;
  readonly request: PipelineRequest;
}

/** The work of `compose` and `explain`, without writing anything. */
export async function composeFromOptions(options: CommandOptions<'compose'> | CommandOptions<'explain'>, io: CliIo, origin?: Origin, store?: PolicyStore): Promise<ComposeResult> {
  const built = await buildPipelineRequest(options, io, origin);
  const request = options.policiesFrom === 'store' ? await withStoredPolicies(built, requireStore(store)) : built;
  // explain shows the single-file layout; compose --pre-out the two-file one.
  const prePipeline = 'preOut' in options && options.preOut !== undefined;
  const outcome = await composeRequest(request, request.policyProjects, prePipeline);
  const report = buildReport(outcome, {
    project: request.context.projectPath,
    configPath: request.configPath,
    pipelineSource: request.context.predefined['CI_PIPELINE_SOURCE'] ?? 'push',
    ref: request.ref,
  });
  requirePolicyJobsWithoutConfig(report, request.text, { file: request.showFile(request.configPath) });
  const preYaml = outcome.emittedPre === undefined ? undefined : emitPipelineYaml(outcome.emittedPre, { description: `${describe(report)} Pre jobs that must succeed; the composed pipeline is triggered only after this one passed.` });
  return { yaml: yamlOf(outcome, report), preYaml, report, request };
}

function composeRequest(request: PipelineRequest, policyProjects: readonly string[], prePipeline: boolean): Promise<CompositionOutcome> {
  return showingPaths(request.showFile, () =>
    composeWithPolicies({
      project: request,
      metadata: request.metadata,
      policyProjects,
      failOpen: request.failOpen,
      prePipeline,
      limits: request.policyLimits,
      userVariableNames: request.userVariableNames,
    }),
  );
}

function yamlOf(outcome: CompositionOutcome, report: PipelineReport): string {
  return emitPipelineYaml(outcome.emitted, { description: describe(report) });
}

function describe(report: PipelineReport): string {
  return `Composed by policy-sidecar for ${report.project} (${report.pipelineSource} on ${report.ref}) from ${report.configPath}. Generated: do not edit.`;
}

/**
 * A store only from the flags (store-location.ts): compose runs in the project's pipeline, whose
 * variables must not choose where policies come from. Opened once for reading and recording.
 */
export async function openStoreForCompose(options: CommandOptions<'compose'> | CommandOptions<'explain'>, io: CliIo): Promise<PolicyStore | undefined> {
  const location = storeLocationFromFlags(options, io);
  if (location === undefined) {
    requireStore(undefined, options.policiesFrom !== 'store');
    return undefined;
  }
  return openStoreAt(location);
}

function requireStore(store: PolicyStore | undefined, optional = false): PolicyStore {
  if (store === undefined && !optional) {
    throw new UsageError('store-not-configured', '--policies-from store needs --store DIR or --database-url URL', {
      hint: 'Pass the store as a flag (the CI/CD component input store); POLICY_SIDECAR_STORE and POLICY_SIDECAR_DATABASE_URL are not read by compose.',
    });
  }
  return store as PolicyStore;
}

export async function runCompose(options: CommandOptions<'compose'>, io: CliIo): Promise<number> {
  const store = await openStoreForCompose(options, io);
  try {
    return await runComposeWith(options, io, store);
  } finally {
    await store?.close();
  }
}

async function runComposeWith(options: CommandOptions<'compose'>, io: CliIo, store: PolicyStore | undefined): Promise<number> {
  checkStandardOutput({ 'pre-out': options.preOut, report: options.report, junit: options.junit }, options.out === undefined || options.out === STANDARD_OUTPUT ? 'the composed pipeline (no --out FILE)' : undefined);
  // The pipeline YAML is what GitLab runs, so it keeps its values; everything written for people
  // (report, JUnit, summary, dry-run preview) has maskable variable values taken out.
  const mask = maskerForRun(io, options.var);
  let composed: ComposeResult;
  try {
    composed = await composeFromOptions(options, io, undefined, store);
    // A dry run is a preview: it warns. A written pipeline is what runs: zero policies fail it.
    applyNoPoliciesRule(noPoliciesIn(composed.report), { enforced: !options.dryRun, allowed: options.allowNoPolicies }, io);
  } catch (error) {
    // The JUnit file is an artifact the merge request shows: say there why composing failed.
    if (options.junit !== undefined && isSidecarError(error)) {
      const project = options.project ?? 'project';
      await writeOutputFile(io, 'junit', options.junit, emitJunitForFailure({ project, code: error.code, message: mask(error.message) }));
    }
    throw error;
  }
  const { yaml, preYaml, report: unmasked, request } = composed;
  const report = maskReport(unmasked, mask);
  if (report.policyFailure !== null) {
    io.stderr.write(`policy-sidecar: WARNING: composing WITHOUT policies (--fail-open): ${report.policyFailure.message}\n`);
  }
  if (options.dryRun) {
    const own = await composeRequest({ ...request, failOpen: false }, [], false);
    const ownReport = buildReport(own, { ...unmasked });
    // The diff is what a reviewer reads; the whole YAML follows for reference.
    io.stdout.write('# Diff against the project\'s own pipeline:\n');
    io.stdout.write(mask(await emitPipelineDiff(yamlOf(own, ownReport), yaml)));
    io.stdout.write('\n# The composed pipeline:\n');
    io.stdout.write(mask(yaml));
    return EXIT.ok;
  }
  // `--out -` is standard output, as for most CLIs; never a file named `-`.
  if (options.out === undefined || options.out === STANDARD_OUTPUT) io.stdout.write(yaml);
  else await writeOutputFile(io, 'out', options.out, yaml);
  if (options.preOut !== undefined && preYaml !== undefined) await writeOutputFile(io, 'pre-out', options.preOut, preYaml);
  if (options.report !== undefined) await writeOutputFile(io, 'report', options.report, emitReportJson(report));
  if (options.junit !== undefined) await writeOutputFile(io, 'junit', options.junit, emitJunit(report));
  if (options.summary) io.stderr.write(emitSummary(report));
  if (store !== undefined) await recordOrWarn(store, options, io, { request, report: unmasked, failure: undefined });
  return EXIT.ok;
}

export function noPoliciesIn(report: PipelineReport): { readonly code: string; readonly message: string } | undefined {
  return report.warnings?.find((warning) => warning.code === NO_POLICIES);
}

/**
 * Records are what the store learns, not what enforces: a store that cannot take the record does
 * not fail the pipeline (the composed pipeline is already written); it warns.
 */
async function recordOrWarn(
  store: PolicyStore,
  options: CommandOptions<'compose'>,
  io: CliIo,
  facts: { request: PipelineRequest; report: PipelineReport | undefined; failure: string | undefined },
): Promise<void> {
  const id = pipelineIdFrom(options.pipelineId ?? facts.request.context.predefined['CI_PIPELINE_ID']);
  if (id === undefined) {
    io.stderr.write('policy-sidecar: WARNING: no pipeline record written: no pipeline id (--pipeline-id or CI_PIPELINE_ID)\n');
    return;
  }
  try {
    await recordComposedPipeline(store, { ...facts, pipelineId: id });
  } catch (error) {
    io.stderr.write(`policy-sidecar: WARNING: no pipeline record written: ${(error as Error).message}\n`);
  }
}
