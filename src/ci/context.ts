/**
 * What a pipeline is about: the variables GitLab would define for it, and facts about the
 * repository that `rules:changes` and `rules:exists` need. The facts are functions supplied by
 * the caller so the engine does no I/O of its own.
 */

export type Variables = Readonly<Record<string, string>>;

export interface PipelineContext {
  /** Full path of the project whose pipeline this is (`acme/web`). */
  readonly projectPath: string;
  /** Predefined variables (CI_PIPELINE_SOURCE, CI_COMMIT_BRANCH, CI_DEFAULT_BRANCH...). */
  readonly predefined: Variables;
  /**
   * Variables from outside the YAML (project/group/instance settings, pipeline, trigger and
   * schedule variables; `--var`). They rank above YAML variables, as in GitLab.
   */
  readonly user: Variables;
}

export interface RepositoryFacts {
  /**
   * Paths changed in this pipeline for `rules:changes`, compared with `compareTo` when given.
   * `undefined` means GitLab cannot know (new branch, tag, schedule...), and `changes` is true.
   */
  changedPaths(compareTo: string | undefined): Promise<readonly string[] | undefined>;
  /** Every file path of `project` (the pipeline's project when undefined) at `ref`, for `rules:exists`. */
  projectFiles(project: string | undefined, ref: string | undefined): Promise<readonly string[]>;
}
