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

export interface Source {
  /** A file's text, or undefined when the project or file does not exist. */
  readFile(project: string, path: string, ref: string | undefined): Promise<string | undefined>;
  /** Every file path of a project at a ref, sorted; empty when the project does not exist. */
  listFiles(project: string, ref: string | undefined): Promise<readonly string[]>;
  /** A GitLab CI template by its name (`Jobs/SAST.gitlab-ci.yml`), or undefined. */
  readTemplate(name: string): Promise<string | undefined>;
  /** Project metadata, or undefined when the project is unknown. */
  readProject(path: string): Promise<ProjectMetadata | undefined>;
}

/** Fetches `include:remote` URLs; the implementation enforces the host allowlist and limits. */
export interface RemoteFetcher {
  fetchText(url: string): Promise<string>;
}
