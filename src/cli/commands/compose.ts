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
import { writeOutputFile } from '../output-file.js';
import { requirePolicyJobsWithoutConfig } from '../project-config.js';
import type { Origin } from '../origin.js';
import { buildPipelineRequest, type PipelineRequest } from '../pipeline-request.js';
import { showingPaths } from '../shown-paths.js';

export interface ComposeResult {
  readonly yaml: string;
  /** With --pre-out: the pre pipeline's YAML. */
  readonly preYaml: string | undefined;
  readonly report: PipelineReport;
  readonly request: PipelineRequest;
}

/** The work of `compose` and `explain`, without writing anything. */
export async function composeFromOptions(options: CommandOptions<'compose'> | CommandOptions<'explain'>, io: CliIo, origin?: Origin): Promise<ComposeResult> {
  const request = await buildPipelineRequest(options, io, origin);
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

export async function runCompose(options: CommandOptions<'compose'>, io: CliIo): Promise<number> {
  // The pipeline YAML is what GitLab runs, so it keeps its values; everything written for people
  // (report, JUnit, summary, dry-run preview) has maskable variable values taken out.
  const mask = maskerForRun(io, options.var);
  let composed: ComposeResult;
  try {
    composed = await composeFromOptions(options, io);
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
  if (options.out === undefined || options.out === '-') io.stdout.write(yaml);
  else await writeOutputFile(io, 'out', options.out, yaml);
  if (options.preOut !== undefined && preYaml !== undefined) await writeOutputFile(io, 'pre-out', options.preOut, preYaml);
  if (options.report !== undefined) await writeOutputFile(io, 'report', options.report, emitReportJson(report));
  if (options.junit !== undefined) await writeOutputFile(io, 'junit', options.junit, emitJunit(report));
  if (options.summary) io.stderr.write(emitSummary(report));
  return EXIT.ok;
}

export function noPoliciesIn(report: PipelineReport): { readonly code: string; readonly message: string } | undefined {
  return report.warnings?.find((warning) => warning.code === NO_POLICIES);
}
