/**
 * Policies as the rest of the sidecar sees them, after the policy file passed the JSON schema
 * (schema/policy.schema.json). Field names are camelCase; the raw YAML keeps GitLab's names.
 */
import type { SourceLocation } from '../errors.js';
import type { CiMap } from '../ci/value.js';

export type PolicyType =
  | 'pipeline_execution_policy'
  | 'scan_execution_policy'
  | 'approval_policy'
  | 'scan_result_policy'
  | 'pipeline_execution_schedule_policy'
  | 'vulnerability_management_policy'
  | 'ci_component_publishing_policy';

/** A security policy project, in hierarchy order (top-most group first). */
export interface PolicyProjectRef {
  readonly path: string;
  /** Project id: the `<id>` in the `:policy-<id>-<index>` job suffix. */
  readonly id: number;
}

export interface PolicyScope {
  readonly complianceFrameworks?: readonly number[];
  readonly projects?: {
    readonly including: readonly number[];
    readonly excluding: readonly number[];
    /** Newer GitLab: `excluding: [{type: personal}]`, `[{type: archived}]`. */
    readonly excludingKinds?: readonly ProjectKind[];
  };
  readonly groups?: { readonly including: readonly number[]; readonly excluding: readonly number[] };
  /** `policy_scope.match_mode`: `any` combines the present dimensions with OR; absent or anything else, AND. */
  readonly matchMode?: 'all' | 'any';
}

export type ProjectKind = 'personal' | 'archived';

export interface SkipCiSetting {
  readonly allowed: boolean;
  readonly allowlistUsers: readonly number[];
}

export interface VariablesOverride {
  readonly allowed: boolean;
  readonly exceptions: readonly string[];
}

export type PipelineConfigStrategy = 'inject_ci' | 'inject_policy' | 'override_project_ci';

export interface PipelineExecutionPolicy {
  readonly type: 'pipeline_execution_policy';
  readonly name: string;
  readonly description: string | undefined;
  readonly enabled: boolean;
  readonly content: { readonly project: string; readonly file: string; readonly ref: string | undefined };
  readonly strategy: PipelineConfigStrategy;
  /** `pipeline_config_strategy.apply_on_empty_pipeline` (newer GitLab); GitLab's default is `always`. */
  readonly applyOnEmptyPipeline?: string;
  readonly suffix: 'on_conflict' | 'never';
  /** Undefined when absent: GitLab then ignores `[skip ci]` (allowed: false). */
  readonly skipCi: SkipCiSetting | undefined;
  readonly variablesOverride: VariablesOverride | undefined;
  readonly policyScope: PolicyScope | undefined;
}

/** Any other policy type, kept as validated YAML until its own module reads it. */
export interface OtherPolicy {
  readonly type: Exclude<PolicyType, 'pipeline_execution_policy'>;
  readonly name: string;
  readonly enabled: boolean;
  readonly policyScope: PolicyScope | undefined;
  readonly raw: CiMap;
}

export type Policy = PipelineExecutionPolicy | OtherPolicy;

/** A policy with where it came from. */
export interface LoadedPolicy<P extends Policy = Policy> {
  readonly policy: P;
  readonly policyProject: PolicyProjectRef;
  /** Index in its policy project's list of that type: the `<index>` in the job suffix. */
  readonly index: number;
  readonly location: SourceLocation | undefined;
}

/** One policy project's policy.yml, validated. */
export interface PolicyFile {
  readonly policyProject: PolicyProjectRef;
  readonly file: string;
  readonly policies: readonly LoadedPolicy[];
  /** `experiments.ensure_pipeline_policy_pre_succeeds.enabled` and friends, by name. */
  readonly experiments: Readonly<Record<string, boolean>>;
}

/** Why a policy applied or not, for the report and `explain`. */
export interface PolicyDecision {
  readonly name: string;
  readonly type: PolicyType;
  readonly policyProject: string;
  readonly index: number;
  readonly applied: boolean;
  readonly reason: string;
}

/** What `policy_scope` is matched against. */
export interface ScopeSubject {
  readonly projectId: number;
  /** Ancestor group ids (any order). */
  readonly groupIds: readonly number[];
  readonly complianceFrameworks: readonly number[];
  /** For `projects.excluding: [{type: personal}]`; false when unknown. */
  readonly personal?: boolean;
  /** For `projects.excluding: [{type: archived}]`; false when unknown. */
  readonly archived?: boolean;
}
