/**
 * `scan_execution_policy` entries (GitLab schema property of the same name; SEP docs "Scan
 * execution policy schema"; gitlab-pep-sep.md §4). Rules and actions are closed objects, as in
 * GitLab; the policy entry itself is open.
 */
import { cronCadence } from './pipeline-execution-defs.js';
import { explained, policyDescription, policyEnabled, policyName } from './shared-defs.js';

export const PIPELINE_SOURCES = [
  'api', 'chat', 'external', 'external_pull_request_event', 'merge_request_event', 'pipeline', 'push', 'schedule',
  'trigger', 'unknown', 'web',
] as const;

const pipelineSourceList = { type: 'array', items: { type: 'string', enum: [...PIPELINE_SOURCES] } };

// The docs show a list, the code reads `pipeline_sources.including` (gitlab-pep-sep.md §4.1): accept both.
const pipelineSources = {
  description: 'GitLab 18.3+: the pipeline sources the rule applies to.',
  anyOf: [pipelineSourceList, { type: 'object', properties: { including: pipelineSourceList } }],
  errorMessage: 'must be a list of pipeline sources, or a mapping with including: [sources]',
};

export const branchExceptions = {
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  description: 'Branches never matched: names or patterns, or {name, full_path} for one project only.',
  items: {
    anyOf: [
      { type: 'string', minLength: 1 },
      {
        type: 'object',
        properties: { name: { type: 'string', minLength: 1 }, full_path: { type: 'string', minLength: 1 } },
        required: ['name', 'full_path'],
      },
    ],
    errorMessage: 'must be a branch name, or a mapping with name and full_path',
  },
};

export const branchList = {
  type: 'array',
  description: 'Branch names or patterns with * (e.g. release/*).',
  items: { type: 'string', minLength: 1 },
};

const scanRule = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string', enum: ['pipeline', 'schedule'] },
    branches: branchList,
    branch_type: { type: 'string', enum: ['default', 'protected', 'all', 'target_default', 'target_protected'] },
    branch_exceptions: branchExceptions,
    pipeline_sources: pipelineSources,
    cadence: cronCadence,
    timezone: { type: 'string', description: 'IANA time zone for cadence.' },
    time_window: {
      type: 'object',
      additionalProperties: false,
      properties: {
        distribution: { type: 'string', enum: ['random'] },
        value: { type: 'integer', minimum: 3600, maximum: 86400, description: 'Seconds (1 to 24 hours).' },
      },
      required: ['distribution', 'value'],
    },
    agents: {
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      patternProperties: {
        '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$': {
          type: 'object',
          additionalProperties: false,
          properties: { namespaces: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  },
  allOf: [
    explained('needs exactly one of branches, branch_type or agents', {
      oneOf: [{ required: ['branches'] }, { required: ['branch_type'] }, { required: ['agents'] }],
    }),
  ],
  if: { properties: { type: { const: 'schedule' } }, required: ['type'] },
  then: { required: ['cadence'] },
  additionalProperties: false,
};

const SCAN_TYPES = [
  'dast', 'secret_detection', 'container_scanning', 'cluster_image_scanning', 'sast', 'dependency_scanning', 'sast_iac', 'custom',
];

const maxKeysFor = (scan: string, max: number) => ({
  if: { properties: { scan: { const: scan } }, required: ['scan'] },
  then: { maxProperties: max },
});

// GitLab's schema does not list `scan` as required, but its if/then branches all apply when
// `scan` is absent, so such an action fails there too; requiring it gives a clear message.
const scanAction = {
  type: 'object',
  required: ['scan'],
  properties: {
    scan: { type: 'string', enum: SCAN_TYPES },
    scanner_profile: { type: 'string', description: 'DAST only: scanner profile name.' },
    site_profile: { type: ['string', 'null'], description: 'DAST only (required there): site profile name.' },
    variables: {
      type: 'object',
      description: 'Variables of the scan jobs; values must be strings.',
      patternProperties: { '^[a-zA-Z_][a-zA-Z0-9_]*$': { type: 'string' } },
      additionalProperties: false,
    },
    tags: { type: 'array', description: 'Runner tags; they replace the template job tags.', items: { type: 'string', minLength: 1 } },
    ci_configuration: { type: 'string' },
    ci_configuration_path: {
      type: 'object',
      properties: { project: { type: 'string' }, file: { type: 'string' }, ref: { type: 'string' } },
    },
    template: { type: 'string', enum: ['default', 'latest'] },
    scan_settings: {
      type: 'object',
      properties: { ignore_default_before_after_script: { type: 'boolean' } },
    },
  },
  allOf: [
    {
      if: { properties: { scan: { const: 'custom' } }, required: ['scan'] },
      then: {
        allOf: [
          explained('needs ci_configuration or ci_configuration_path (scan: custom)', {
            anyOf: [{ required: ['ci_configuration'] }, { required: ['ci_configuration_path'] }],
          }),
        ],
        maxProperties: 2,
      },
    },
    {
      if: { properties: { scan: { const: 'dast' } }, required: ['scan'] },
      then: { required: ['site_profile'], maxProperties: 7 },
    },
    maxKeysFor('secret_detection', 5),
    maxKeysFor('cluster_image_scanning', 5),
    maxKeysFor('container_scanning', 5),
    maxKeysFor('sast', 5),
  ],
  additionalProperties: false,
};

export const scanExecutionPolicyList = {
  type: 'array',
  description: 'Scan execution policies. Only the first 5 enabled ones of a policy project apply (configurable).',
  items: {
    type: 'object',
    required: ['name', 'enabled', 'rules', 'actions'],
    properties: {
      name: policyName,
      description: policyDescription,
      enabled: policyEnabled,
      rules: { type: 'array', description: 'When the scans run (GitLab applies at most 5).', items: scanRule },
      actions: { type: 'array', description: 'The scans to run (GitLab applies the first 10).', items: scanAction },
      skip_ci: { $ref: '#/$defs/skip_ci' },
      policy_scope: { $ref: '#/$defs/policy_scope' },
      metadata: { $ref: '#/$defs/metadata' },
    },
  },
};
