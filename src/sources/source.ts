/**
 * The narrow read interface every source implements: the offline workspace (sources/workspace)
 * and the GitLab API (sources/gitlab). Kept small on purpose so one contract suite runs against
 * both. Paths are repository paths without a leading slash; `ref` undefined means the ref the
 * run is about (workspace) or the project's default branch (API).
 */

export interface ProjectMetadata {
  readonly id: number;
  readonly path: string;
  readonly defaultBranch: string;
  readonly protectedBranches: readonly string[];
  readonly complianceFrameworks: readonly number[];
  /** Ancestor group ids, top-most first. */
  readonly groups: readonly number[];
}

/** An open merge request as scan execution policies need it (reference §5.1 `target_default`/`target_protected`). */
export interface OpenMergeRequest {
  readonly iid: number;
  readonly targetBranch: string;
}

export interface Source {
  /** A file's text, or undefined when the project or file does not exist. */
  readFile(project: string, path: string, ref: string | undefined): Promise<string | undefined>;
  /** Every file path of a project at a ref, sorted; empty when the project does not exist. */
  listFiles(project: string, ref: string | undefined): Promise<readonly string[]>;
  /** A GitLab CI template by its name (`Jobs/SAST.gitlab-ci.yml`), or undefined. */
  readTemplate(name: string): Promise<string | undefined>;
  /** Project metadata, or undefined when the project is unknown. */
  readProject(path: string): Promise<ProjectMetadata | undefined>;
  /**
   * The project's open merge requests whose source branch is `sourceBranch`, by iid ascending;
   * empty when there are none or the project is unknown.
   */
  openMergeRequests(project: string, sourceBranch: string): Promise<readonly OpenMergeRequest[]>;
}

/** Fetches `include:remote` URLs; the implementation enforces the host allowlist and limits. */
export interface RemoteFetcher {
  fetchText(url: string): Promise<string>;
}
