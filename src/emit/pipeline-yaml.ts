/**
 * The composed pipeline as YAML for a child pipeline: one job per decided job, every keyword
 * written out, no `include`, `extends`, `default`, global `variables`, hidden jobs or `rules`.
 * Emitter options are pinned so the same pipeline gives the same bytes.
 */
import { stringify } from 'yaml';
import type { VariableMap } from '../ci/expand/index.js';
import type { ResolvedJob, ResolvedPipeline } from '../ci/pipeline.js';
import { InternalError } from '../errors.js';
import { writeYaml, YAML_WRITER_OPTIONS } from './yaml-writer.js';

export interface PipelineHeader {
  /** One line saying what the file is for, written as a comment at the top. */
  readonly description: string;
}

/** The stage names GitLab adds by itself; writing them in `stages:` is not needed. */
const IMPLICIT_STAGES = new Set(['.pre', '.post']);

/** When GitLab would create no pipeline, the child still needs a job, or the trigger fails. */
export const NO_PIPELINE_JOB = 'policy-sidecar:no-pipeline';

export function emitPipelineYaml(pipeline: ResolvedPipeline, header: PipelineHeader): string {
  const document: Record<string, unknown> = {};
  if (!pipeline.created) {
    document['stages'] = ['test'];
    document[NO_PIPELINE_JOB] = {
      stage: 'test',
      script: [`echo ${shellQuote(`GitLab would create no pipeline here: ${pipeline.reason}`)}`],
    };
  } else {
    const used = new Set(pipeline.jobs.map((job) => job.stage));
    document['stages'] = pipeline.stages.filter((stage) => !IMPLICIT_STAGES.has(stage) && used.has(stage));
    for (const job of pipeline.jobs) document[job.name] = jobDocument(job);
  }
  // The writer gives yaml's bytes without building yaml's Document; yaml itself writes the rare
  // shapes the writer leaves to it.
  const body = writeYaml(document) ?? stringify(plain(document), YAML_WRITER_OPTIONS);
  return `# ${header.description}\n${body}`;
}

function jobDocument(job: ResolvedJob): Record<string, unknown> {
  const document: Record<string, unknown> = { stage: job.stage };
  for (const [key, value] of Object.entries(job.definition)) document[key] = value;
  const variables = variablesDocument(job.variables);
  if (variables !== undefined) document['variables'] = variables;
  if (job.needs !== undefined) document['needs'] = job.needs;
  document['when'] = job.when;
  if (job.startIn !== undefined) document['start_in'] = job.startIn;
  document['allow_failure'] = job.allowFailure;
  return document;
}

function variablesDocument(variables: VariableMap): Record<string, unknown> | undefined {
  const entries = Object.entries(variables);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map(([name, variable]) => [name, variable.expand ? variable.value : { value: variable.value, expand: false }]),
  );
}

/** The value tree without prototypes or tags, as the YAML library expects. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    if (!('constructor' in value) || value.constructor === Object || Object.getPrototypeOf(value) === null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
    }
    throw new InternalError('unresolved-tag', 'a !reference tag reached the emitter unresolved');
  }
  return value;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
