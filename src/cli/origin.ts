/**
 * Where a run reads from: the offline workspace, or a GitLab CI job (the checkout plus the
 * GitLab API). Both give the same things, so the rest of the request is built one way.
 */
import type { Variables } from '../ci/context.js';
import type { RemoteFetcher, ProjectMetadata, Source } from '../sources/source.js';
import type { JobFacts } from '../sources/gitlab/job-facts.js';
import type { ShowFile } from './shown-paths.js';

export interface Origin {
  readonly source: Source;
  readonly project: string;
  readonly metadata: ProjectMetadata;
  /** CI_SERVER_FQDN: the host include:component addresses name. */
  readonly serverHost: string;
  /** A git checkout of the project, for rules:changes; undefined when there is none. */
  readonly checkoutDir: string | undefined;
  readonly showFile: ShowFile;
  /** The job's CI_* variables (--job): data for rules; GitLab's facts win over them. */
  readonly pipelineVariables: Variables;
  /** With --job: the pipeline's facts as GitLab recorded them. */
  readonly jobFacts?: JobFacts | undefined;
  /** Variables from outside the YAML: --var, and in a CI job the job's other variables. */
  readonly userVariables: Variables;
  /** Security policy project paths, top-most group first. */
  readonly policyProjects: readonly string[];
  readonly remote: RemoteFetcher;
}
