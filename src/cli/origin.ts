/**
 * Where a run reads from: the offline workspace, or a GitLab CI job (the checkout plus the
 * GitLab API). Both give the same things, so the rest of the request is built one way.
 */
import type { Variables } from '../ci/context.js';
import type { RemoteFetcher, ProjectMetadata, Source } from '../sources/source.js';
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
  /** GitLab's own CI_* values for this pipeline (API mode); flags win over them. */
  readonly pipelineVariables: Variables;
  /** Variables from outside the YAML: --var, and in a CI job the job's other variables. */
  readonly userVariables: Variables;
  /** Security policy project paths, top-most group first. */
  readonly policyProjects: readonly string[];
  readonly remote: RemoteFetcher;
}
