/**
 * The steps between includes and rules, in GitLab's order (Gitlab::Ci::Config#build_config and
 * Entry::Root): `extends`, then `!reference` tags, then stages, global variables, defaults,
 * workflow and jobs. Pure: a resolved configuration in, an ExpandedConfig out.
 */
import type { CiLimits } from '../limits.js';
import { locationOfKey } from '../positions.js';
import type { CiMap } from '../value.js';
import { readMapEntry } from './ci-map.js';
import { readDefaults } from './defaults.js';
import { resolveExtends } from './extends.js';
import { isJobKey } from './job-keywords.js';
import { expandJobs, type ExpandedJob } from './jobs.js';
import { resolveReferences } from './references.js';
import { readStages } from './stages.js';
import { readVariables, type VariableMap } from './variables.js';
import { readWorkflow } from './workflow.js';

export { resolveExtends } from './extends.js';
export { resolveReferences } from './references.js';
export {
  readVariables,
  inheritVariables,
  jobVariablesScope,
  GLOBAL_VARIABLES_SCOPE,
  type CiVariable,
  type VariableMap,
  type VariablesScope,
  type VariablesInheritance,
} from './variables.js';
export type { ExpandedJob } from './jobs.js';
export { DEFAULT_STAGES, PRE_STAGE, POST_STAGE, DEFAULT_JOB_STAGE, POLICY_PRE_STAGE, POLICY_POST_STAGE } from './stages.js';
export { DEFAULT_KEYWORDS } from './defaults.js';

export interface ExpandedConfig {
  /** Declared stages (or build, test, deploy) between `.pre` and `.post`, without duplicates. */
  readonly stages: readonly string[];
  readonly workflow: CiMap | undefined;
  readonly globalVariables: VariableMap;
  /** Visible jobs in the merged configuration's key order. */
  readonly jobs: readonly ExpandedJob[];
}

export interface ExpandOptions {
  /** A pipeline execution policy's configuration: the reserved policy stages exist. */
  readonly policyPipeline?: boolean;
}

export function expandConfig(config: CiMap, limits: CiLimits, options: ExpandOptions = {}): ExpandedConfig {
  const resolved = resolveReferences(resolveExtends(config, limits), limits);
  // Root entry order, which is the order GitLab reports their errors in.
  // `default` and `workflow` are not reserved: a key of that name holding a script is a job.
  const defaultValue = readMapEntry(resolved, 'default');
  const defaults = readDefaults(resolved, isJobKey('default', defaultValue) ? undefined : defaultValue);
  const globalVariables = readVariables(readMapEntry(resolved, 'variables'), locationOfKey(resolved, 'variables'));
  const stages = readStages(readMapEntry(resolved, 'stages'), locationOfKey(resolved, 'stages'), options.policyPipeline === true);
  const workflowValue = readMapEntry(resolved, 'workflow');
  const workflow = readWorkflow(isJobKey('workflow', workflowValue) ? undefined : workflowValue, resolved);
  const jobs = expandJobs(resolved, { stages, globalVariables, defaults });
  return { stages, workflow, globalVariables, jobs };
}
