/**
 * `pipeline_execution_policy` and `pipeline_execution_schedule_policy` entries (GitLab schema
 * properties of the same names; PEP docs "Pipeline execution policy schema"). Policy entries are
 * open objects, as in GitLab: an unknown key is ignored there, so it is only a warning here.
 */
import { explained, PIPELINE_CONFIG_STRATEGIES, policyDescription, policyEnabled, policyName } from './shared-defs.js';

const strategyName = {
  type: 'string',
  enum: [...PIPELINE_CONFIG_STRATEGIES],
  description:
    'inject_policy: add the policy jobs and merge the policy stages; inject_ci (deprecated): add jobs, project stages only; override_project_ci: replace the project configuration.',
};

// Newer GitLab (Security::PipelineExecutionPolicy::Config#parse_pipeline_config_strategy) also
// reads a mapping {type, apply_on_empty_pipeline}; `type` then defaults to inject_policy.
const pipelineConfigStrategy = {
  description: 'How the policy configuration is combined with the project pipeline.',
  anyOf: [
    strategyName,
    {
      type: 'object',
      properties: {
        type: strategyName,
        apply_on_empty_pipeline: {
          type: 'string',
          description: 'Newer GitLab: whether the policy applies when the project pipeline is empty (default always).',
        },
      },
    },
  ],
  errorMessage: `must be one of ${PIPELINE_CONFIG_STRATEGIES.join(', ')}, or a mapping with type and apply_on_empty_pipeline`,
};

export const pipelineExecutionPolicyList = {
  type: 'array',
  description: 'Pipeline execution policies. Only the first 5 enabled ones of a policy project apply (configurable).',
  items: {
    type: 'object',
    required: ['name', 'enabled', 'content', 'pipeline_config_strategy'],
    properties: {
      name: policyName,
      description: policyDescription,
      enabled: policyEnabled,
      content: { $ref: '#/$defs/pipeline_execution_content' },
      pipeline_config_strategy: pipelineConfigStrategy,
      suffix: {
        type: ['string', 'null'],
        enum: ['on_conflict', 'never', null],
        description:
          'on_conflict (default): a policy job whose name is taken becomes <name>:policy-<policy project id>-<index>; never: a clash fails the pipeline.',
      },
      skip_ci: { $ref: '#/$defs/skip_ci' },
      variables_override: { $ref: '#/$defs/variables_override' },
      policy_scope: { $ref: '#/$defs/policy_scope' },
      metadata: { $ref: '#/$defs/metadata' },
    },
  },
};

// 5 or 6 cron fields, or a macro. GitLab's own pattern is unanchored (it accepts almost anything).
const cadence = {
  type: 'string',
  pattern: '^\\s*(@(yearly|annually|monthly|weekly|daily|midnight|noon|hourly)|\\S+(\\s+\\S+){4,5})\\s*$',
  description: 'Cron expression, e.g. 0 22 * * 1-5.',
};

export const pipelineExecutionSchedulePolicyList = {
  type: 'array',
  maxItems: 1,
  description: 'Scheduled pipeline execution policy (at most one per policy project). policy-sidecar validates it but does not run it.',
  items: {
    type: 'object',
    required: ['name', 'enabled', 'content'],
    properties: {
      name: policyName,
      description: policyDescription,
      enabled: policyEnabled,
      content: { $ref: '#/$defs/pipeline_execution_content' },
      // The schema version we read has `schedule`; newer GitLab versions reworked this area,
      // so both `schedule` and a `schedules` list are accepted, each left open.
      schedule: {
        type: 'object',
        properties: { cadence, timezone: { type: 'string', description: 'IANA time zone, e.g. America/New_York.' } },
        required: ['cadence'],
      },
      schedules: { type: 'array', items: { type: 'object' } },
      variables_override: { $ref: '#/$defs/variables_override' },
      policy_scope: { $ref: '#/$defs/policy_scope' },
      metadata: { $ref: '#/$defs/metadata' },
    },
    allOf: [explained('needs schedule', { anyOf: [{ required: ['schedule'] }, { required: ['schedules'] }] })],
  },
};

export const cronCadence = cadence;
