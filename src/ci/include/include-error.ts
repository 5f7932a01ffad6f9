/**
 * The one way this folder raises a configuration error: a stable code, GitLab's wording, and the
 * location of the `include` entry that caused it.
 */
import { ConfigError, type SourceLocation } from '../../errors.js';

export type IncludeErrorCode =
  | 'include-invalid' // the entry itself is malformed
  | 'include-path' // traversal out of the repository, or a bad path
  | 'include-not-found' // local, project, template or component file missing or empty
  | 'include-project' // project not found, or its ref does not exist
  | 'include-yaml' // the included file is not a valid CI file
  | 'include-limit' // more files than CiLimits.maxIncludes
  | 'include-depth' // nested deeper than CiLimits.maxIncludeDepth
  | 'include-loop' // a file includes itself through its own includes
  | 'include-remote' // remote address or integrity problems
  | 'include-component' // component address problems
  | 'include-inputs' // spec:inputs / include:inputs validation and interpolation
  | 'include-unsupported'; // a GitLab feature we deliberately do not reproduce

export function includeError(
  code: IncludeErrorCode,
  message: string,
  location: SourceLocation | undefined,
  details: { readonly hint?: string; readonly cause?: unknown } = {},
): ConfigError {
  return new ConfigError(code, message, { location, hint: details.hint, cause: details.cause });
}
