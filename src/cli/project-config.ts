/**
 * The project's own CI configuration file, read at the edge. GitLab refuses a pipeline without
 * one ("Missing CI config file", lib/gitlab/ci/pipeline/chain/config/content.rb) unless a
 * pipeline execution or scan execution policy puts jobs in it (reference §3.3 step 4: a
 * placeholder config forces the pipeline to exist). A missing checkout or a misnamed
 * --config-path must not pass for "this project has no CI file": the project's jobs would
 * vanish from an otherwise green, policy-only pipeline.
 */
import { ConfigError, SourceError } from '../errors.js';
import type { PipelineReport } from '../emit/report.js';
import type { Source } from '../sources/source.js';
import { showingPaths, type ShowFile } from './shown-paths.js';

/** GitLab's message when a pipeline has no configuration to run. */
export const MISSING_CONFIG_MESSAGE = 'Missing CI config file';

export interface ProjectConfigInput {
  readonly source: Source;
  readonly project: string;
  readonly configPath: string;
  /** The path was named (--config-path or the job's CI_CONFIG_PATH), not the default. */
  readonly named: boolean;
  readonly policyProjects: readonly string[];
  readonly showFile: ShowFile;
}

/** The file's text; undefined only when the project really has none and policies may fill it. */
export async function readProjectConfig(input: ProjectConfigInput): Promise<string | undefined> {
  const { source, project, configPath } = input;
  // A file that cannot be read (not UTF-8, too large) is named as messages name files.
  const text = await showingPaths(input.showFile, () => source.readFile(project, configPath, undefined));
  if (text !== undefined) return text;
  const location = { file: input.showFile(configPath) };
  const files = await source.listFiles(project, undefined);
  if (files.length === 0) {
    throw new SourceError('checkout-missing', `${MISSING_CONFIG_MESSAGE}: the repository of ${project} is missing or empty`, {
      location,
      hint: 'Check that the job checked the repository out (GIT_STRATEGY is not none) or, in workspace mode, that the project folder holds its files.',
    });
  }
  if (input.named || input.policyProjects.length === 0) {
    const lookalikes = files.filter((file) => /(^|\/)\.?gitlab-ci\.ya?ml$/i.test(file) && file !== configPath);
    throw new ConfigError('no-config', MISSING_CONFIG_MESSAGE, {
      location,
      hint:
        lookalikes.length > 0
          ? `The project has ${lookalikes.join(', ')}: pass it with --config-path.`
          : 'Add the file, or pass --config-path if the project uses another one.',
    });
  }
  return undefined;
}

/** After composing a project without CI file: only policy or scan jobs make it a pipeline. */
export function requirePolicyJobsWithoutConfig(report: PipelineReport, text: string | undefined, location: { readonly file: string }): void {
  if (text !== undefined) return;
  if (report.jobs.some((job) => job.origin === 'policy' || job.origin === 'scan-policy')) return;
  throw new ConfigError('no-config', MISSING_CONFIG_MESSAGE, {
    location,
    hint: 'The project has no CI configuration file and no policy adds a job to this pipeline. Add the file, or pass --config-path if the project uses another one.',
  });
}
