/** Shapes shared by job rules, workflow rules and only/except. */
import type { RepositoryFacts, Variables } from '../context.js';
import type { CiValue } from '../value.js';

export type JobWhen = 'on_success' | 'on_failure' | 'always' | 'manual' | 'delayed' | 'never';

export interface RuleScope {
  /** Everything visible to rules, precedence already applied. */
  readonly variables: Variables;
  readonly facts: RepositoryFacts;
  /** For messages when no position is known. */
  readonly file: string;
  /** GitLab's prefix for messages about this entry, e.g. `jobs:build`; none when unset. */
  readonly path?: string;
}

export interface RuleOutcome {
  /** 0-based index of the rule that matched (after nested `!reference` arrays are flattened). */
  readonly matchedIndex: number | undefined;
  /** 'never' when the job/include/workflow is excluded. */
  readonly when: JobWhen;
  /** From the matching rule: rules:allow_failure is a boolean in GitLab. */
  readonly allowFailure: CiValue | undefined;
  readonly startIn: string | undefined;
  /** rules:needs replaces the job's needs. */
  readonly needs: CiValue | undefined;
  /** rules:variables of the matching rule. */
  readonly variables: Readonly<Record<string, string>>;
  readonly interruptible: boolean | undefined;
  /** For people: 'rule 2 matched (if: $X == "y")', 'no rule matched'. */
  readonly reason: string;
}

export interface WorkflowOutcome {
  readonly run: boolean;
  /** workflow:name with variables expanded; undefined when absent or blank. */
  readonly name: string | undefined;
  readonly variables: Readonly<Record<string, string>>;
  readonly matchedIndex: number | undefined;
  /** workflow:auto_cancel, overridden key by key by the matching rule's auto_cancel. */
  readonly autoCancel: CiValue | undefined;
  readonly reason: string;
}

export interface OnlyExceptScope extends RuleScope {
  /** CI_PIPELINE_SOURCE: push, web, merge_request_event, schedule... */
  readonly source: string;
  /** The branch or tag name (for merge request pipelines, the source branch). */
  readonly ref: string;
  readonly isTag: boolean;
  /** Full path of the pipeline's project, for `name@group/project` filters. */
  readonly projectPath: string;
  /** Whether the configuration has workflow:rules; they drop the `only: [branches, tags]` default. */
  readonly hasWorkflowRules?: boolean;
  /** `only: kubernetes: active`; GitLab's certificate-based integration, off unless said so. */
  readonly kubernetesActive?: boolean;
}
