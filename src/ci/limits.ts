/**
 * GitLab's limits on CI configuration, in one place so that callers can raise them and
 * messages can name them. Defaults follow GitLab's documented values.
 */
export interface CiLimits {
  /** Bytes of one YAML file (GitLab: `max_yaml_size_bytes`, 2 MB on current versions). */
  readonly maxFileBytes: number;
  /** Nesting depth of one YAML document (GitLab: 100). */
  readonly maxYamlDepth: number;
  /** Aliases in one document before it is treated as an alias bomb. */
  readonly maxAliasCount: number;
  /** Nodes in one document once aliases are expanded (guards against alias bombs). */
  readonly maxExpandedNodes: number;
  /** Files included into one configuration, nested ones and duplicates counted (GitLab: 150). */
  readonly maxIncludes: number;
  /** Nesting depth of includes (GitLab: 100). */
  readonly maxIncludeDepth: number;
  /** Levels of `extends` (GitLab: 11). */
  readonly maxExtendsDepth: number;
  /** Nesting of `!reference` tags (GitLab: 10). */
  readonly maxReferenceDepth: number;
  /** Bytes of a remote include. */
  readonly maxRemoteBytes: number;
  /** Milliseconds for fetching a remote include (GitLab: 30 s for all remote includes). */
  readonly remoteTimeoutMs: number;
}

export const DEFAULT_LIMITS: CiLimits = {
  maxFileBytes: 2 * 1024 * 1024,
  maxYamlDepth: 100,
  maxAliasCount: 1000,
  maxExpandedNodes: 500_000,
  maxIncludes: 150,
  maxIncludeDepth: 100,
  maxExtendsDepth: 11,
  maxReferenceDepth: 10,
  maxRemoteBytes: 2 * 1024 * 1024,
  remoteTimeoutMs: 30_000,
};
