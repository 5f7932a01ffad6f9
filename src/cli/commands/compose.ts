/** `compose`: flags → resolved pipeline → YAML (standard output or --out), report, summary. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { resolvePipeline } from '../../ci/resolve-pipeline.js';
import { emitSummary } from '../../emit/explain.js';
import { emitPipelineYaml } from '../../emit/pipeline-yaml.js';
import { buildReport, emitReportJson, type PipelineReport } from '../../emit/report.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { buildPipelineRequest } from '../pipeline-request.js';
import { EXIT } from '../exit-codes.js';
import { showingPaths } from '../shown-paths.js';

export interface ComposeResult {
  readonly yaml: string;
  readonly report: PipelineReport;
}

/** The work of `compose` and `explain`, without writing anything. */
export async function composePipeline(options: CommandOptions<'compose'>, io: CliIo): Promise<ComposeResult> {
  const request = await buildPipelineRequest(options, io);
  const pipeline = await showingPaths(request.showFile, () => resolvePipeline(request));
  const report = buildReport(pipeline, {
    project: request.context.projectPath,
    configPath: request.configPath,
    pipelineSource: request.context.predefined['CI_PIPELINE_SOURCE'] ?? 'push',
    ref: request.ref,
  });
  const description = `Composed by policy-sidecar for ${report.project} (${report.pipelineSource} on ${report.ref}) from ${report.configPath}. Generated: do not edit.`;
  return { yaml: emitPipelineYaml(pipeline, { description }), report };
}

export async function runCompose(options: CommandOptions<'compose'>, io: CliIo): Promise<number> {
  const { yaml, report } = await composePipeline(options, io);
  if (options.out === undefined) io.stdout.write(yaml);
  else await writeFile(resolve(io.cwd, options.out), yaml);
  if (options.report !== undefined) await writeFile(resolve(io.cwd, options.report), emitReportJson(report));
  if (options.summary) io.stderr.write(emitSummary(report));
  return EXIT.ok;
}
