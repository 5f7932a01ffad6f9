/** GitLab CI rules: job `rules:`, `workflow:`, and legacy `only`/`except`. */
export { evaluateRules, findMatchingRule, type RuleMatch } from './evaluate-rules.js';
export { evaluateWorkflow } from './workflow.js';
export { evaluateOnlyExcept, type OnlyExceptOutcome } from './only-except.js';
export { parseRules, JOB_RULES, WORKFLOW_RULES, INCLUDE_RULES, type ParsedRule, type RuleKind } from './rule-config.js';
export { compileGlob, matchesGlob, expandBraces } from './glob.js';
export { parseDuration } from './duration.js';
export type { JobWhen, RuleScope, RuleOutcome, WorkflowOutcome, OnlyExceptScope } from './types.js';
