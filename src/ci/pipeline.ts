/**
 * The result of resolving one CI configuration for one pipeline: jobs already decided, with
 * everything GitLab would compute from `rules`, `default`, `extends` and global variables written
 * into each job, and the reason for every decision.
 */
import type { SourceLocation } from '../errors.js';
import type { CiMap, CiSeq, CiValue } from './value.js';
import type { VariableMap } from './expand/index.js';

export type RunWhen = 'on_success' | 'on_failure' | 'always' | 'manual' | 'delayed';

export interface ResolvedJob {
  readonly name: string;
  readonly stage: string;
  readonly when: RunWhen;
  readonly allowFailure: CiValue;
  readonly startIn: string | undefined;
  /** `undefined`: the job follows stage order; a list (maybe empty): it runs by `needs`. */
  readonly needs: CiSeq | undefined;
  /** YAML variables the job sees: global (as inherited), workflow rule, job and rule variables. */
  readonly variables: VariableMap;
  /** Every other keyword of the job (script, image, artifacts...), fully resolved. */
  readonly definition: CiMap;
  /** Why the job is in the pipeline, for the report. */
  readonly decision: string;
  readonly location: SourceLocation | undefined;
}

export interface ExcludedJob {
  readonly name: string;
  readonly reason: string;
  readonly location: SourceLocation | undefined;
}

export interface IncludedFileRecord {
  readonly kind: string;
  readonly location: string;
}

export interface ResolvedPipeline {
  /** False when GitLab would create no pipeline (workflow:rules, no jobs, only .pre/.post jobs). */
  readonly created: boolean;
  readonly reason: string;
  /** `workflow:name`, expanded. */
  readonly name: string | undefined;
  /** Declared stage order, `.pre` first and `.post` last. */
  readonly stages: readonly string[];
  readonly jobs: readonly ResolvedJob[];
  readonly excluded: readonly ExcludedJob[];
  /** Every file read to build the configuration, main file first. */
  readonly files: readonly IncludedFileRecord[];
}
