/** `include:` resolution: the one entry point and the types callers need. */
export { resolveIncludes } from './resolve-includes.js';
export { selectIncludeVariables } from './include-variables.js';
export type {
  ConfigFileRef,
  IncludedFile,
  IncludeEnvironment,
  IncludeKind,
  IncludeRuleEvaluator,
  IncludeRuleScope,
  InputValues,
  ResolvedConfig,
} from './types.js';
