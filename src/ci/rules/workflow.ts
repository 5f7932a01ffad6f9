/**
 * `workflow:` (GitLab's `Entry::Workflow` and `Chain::EvaluateWorkflowRules`): without rules
 * the pipeline runs; with rules the first match decides, `when` may only be always or never and
 * defaults to always, and no match means no pipeline. `workflow:name` is expanded like
 * `Chain::PopulateMetadata` does: unknown variables become empty, and the matched rule's
 * variables are visible (they join the pipeline's global variables). Docs: ci/yaml/workflow.md.
 */
import { expandVariables } from '../expand-variables.js';
import { isMap, type CiMap, type CiValue } from '../value.js';
import { findMatchingRule } from './evaluate-rules.js';
import { WORKFLOW_RULES } from './rule-config.js';
import { configError } from './rule-errors.js';
import type { RuleScope, WorkflowOutcome } from './types.js';

const WORKFLOW_KEYS = ['rules', 'name', 'auto_cancel'];
const MAX_NAME_LENGTH = 255;

export async function evaluateWorkflow(workflow: CiValue | undefined, scope: RuleScope): Promise<WorkflowOutcome> {
  const place = { file: scope.file, path: scope.path };
  if (workflow === undefined || workflow === null) {
    return { run: true, name: undefined, variables: {}, matchedIndex: undefined, autoCancel: undefined, reason: 'no workflow:rules' };
  }
  if (!isMap(workflow)) throw configError(place, 'workflow', 'config should be a hash', workflow);
  const unknown = Object.keys(workflow).filter((key) => !WORKFLOW_KEYS.includes(key));
  if (unknown.length > 0) throw configError(place, 'workflow', `config contains unknown keys: ${unknown.join(', ')}`, workflow, unknown[0]);
  const rawName = readName(workflow, scope);

  const rules = workflow.rules;
  const ruleScope: RuleScope = { ...scope, path: scope.path === undefined ? 'workflow' : `${scope.path}:workflow` };
  const match = rules === undefined || rules === null ? undefined : await findMatchingRule(rules, ruleScope, WORKFLOW_RULES);
  const rule = match?.rule;
  const variables = rule?.variables ?? {};
  const run = match === undefined || (rule !== undefined && rule.when !== 'never');
  const name = rawName === undefined ? undefined : expandVariables(rawName, { ...scope.variables, ...variables }).trim();

  let reason = 'workflow has no rules';
  if (match !== undefined) reason = rule === undefined ? 'no workflow rule matched' : `workflow ${match.reason}${run ? '' : ' with when: never'}`;
  return {
    run,
    name: name === undefined || name === '' ? undefined : name,
    variables,
    matchedIndex: rule?.index,
    autoCancel: mergeAutoCancel(workflow.auto_cancel, rule?.autoCancel),
    reason,
  };
}

function readName(workflow: CiMap, scope: RuleScope): string | undefined {
  const name = workflow.name;
  if (name === undefined || name === null) return undefined;
  const place = { file: scope.file, path: scope.path };
  if (typeof name !== 'string') throw configError(place, 'workflow', 'name should be a string', workflow, 'name');
  // Entry::Workflow: `validates :name, length: { minimum: 1, maximum: 255 }`.
  if (name.length < 1) throw configError(place, 'workflow', 'name is too short (minimum is 1 character)', workflow, 'name');
  if (name.length > MAX_NAME_LENGTH) {
    throw configError(place, 'workflow', `name is too long (maximum is ${MAX_NAME_LENGTH} characters)`, workflow, 'name');
  }
  return name;
}

// PopulateMetadata#set_auto_cancel: the rule's auto_cancel keys override workflow:auto_cancel.
function mergeAutoCancel(base: CiValue | undefined, fromRule: CiValue | undefined): CiValue | undefined {
  if (isMap(base) && isMap(fromRule)) return { ...base, ...fromRule };
  return fromRule ?? base ?? undefined;
}
