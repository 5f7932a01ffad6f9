/** `compose`: flags → composed pipeline → YAML (standard output or --out), report, summary. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { composePipeline as composeWithPolicies, type CompositionOutcome } from '../../compose/index.js';
import { emitSummary } from '../../emit/explain.js';
import { emitJunit, emitJunitForFailure } from '../../emit/junit.js';
import { emitPipelineDiff } from '../../emit/pipeline-diff.js';
import { emitPipelineYaml } from '../../emit/pipeline-yaml.js';
import { buildReport, emitReportJson, type PipelineReport } from '../../emit/report.js';
import { isSidecarError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { buildPipelineRequest, type PipelineRequest } from '../pipeline-request.js';
import { showingPaths } from '../shown-paths.js';

export interface ComposeResult {
  readonly yaml: string;
  readonly report: PipelineReport;
  readonly request: PipelineRequest;
}

/** The work of `compose` and `explain`, without writing anything. */
export async function composeFromOptions(options: CommandOptions<'compose'> | CommandOptions<'explain'>, io: CliIo): Promise<ComposeResult> {
  const request = await buildPipelineRequest(options, io);
  const outcome = await composeRequest(request, request.policyProjects);
  const report = buildReport(outcome, {
    project: request.context.projectPath,
    configPath: request.configPath,
    pipelineSource: request.context.predefined['CI_PIPELINE_SOURCE'] ?? 'push',
    ref: request.ref,
  });
  return { yaml: yamlOf(outcome, report), report, request };
}

function composeRequest(request: PipelineRequest, policyProjects: readonly string[]): Promise<CompositionOutcome> {
  return showingPaths(request.showFile, () =>
    composeWithPolicies({
      project: request,
      metadata: request.metadata,
      policyProjects,
      failOpen: request.failOpen,
      limits: request.policyLimits,
      userVariableNames: request.userVariableNames,
    }),
  );
}

function yamlOf(outcome: CompositionOutcome, report: PipelineReport): string {
  const description = `Composed by policy-sidecar for ${report.project} (${report.pipelineSource} on ${report.ref}) from ${report.configPath}. Generated: do not edit.`;
  return emitPipelineYaml(outcome.emitted, { description });
}

export async function runCompose(options: CommandOptions<'compose'>, io: CliIo): Promise<number> {
  let composed: ComposeResult;
  try {
    composed = await composeFromOptions(options, io);
  } catch (error) {
    // The JUnit file is an artifact the merge request shows: say there why composing failed.
    if (options.junit !== undefined && isSidecarError(error)) {
      const project = options.project ?? 'project';
      await writeFile(resolve(io.cwd, options.junit), emitJunitForFailure({ project, code: error.code, message: error.message }));
    }
    throw error;
  }
  const { yaml, report, request } = composed;
  if (report.policyFailure !== null) {
    io.stderr.write(`policy-sidecar: WARNING: composing WITHOUT policies (--fail-open): ${report.policyFailure.message}\n`);
  }
  if (options.dryRun) {
    const own = await composeRequest({ ...request, failOpen: false }, []);
    const ownReport = buildReport(own, { ...report });
    io.stdout.write(yaml);
    io.stdout.write('\n# Diff against the project\'s own pipeline:\n');
    io.stdout.write(await emitPipelineDiff(yamlOf(own, ownReport), yaml));
    return EXIT.ok;
  }
  if (options.out === undefined) io.stdout.write(yaml);
  else await writeFile(resolve(io.cwd, options.out), yaml);
  if (options.report !== undefined) await writeFile(resolve(io.cwd, options.report), emitReportJson(report));
  if (options.junit !== undefined) await writeFile(resolve(io.cwd, options.junit), emitJunit(report));
  if (options.summary) io.stderr.write(emitSummary(report));
  return EXIT.ok;
}
