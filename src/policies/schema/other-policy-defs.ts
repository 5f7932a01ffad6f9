/**
 * Policy types policy-sidecar validates but does not enforce: `vulnerability_management_policy`
 * and `ci_component_publishing_policy` (GitLab schema properties of the same names).
 */
import { policyDescription, policyEnabled, policyName } from './shared-defs.js';

const SCANNERS = ['sast', 'secret_detection', 'dependency_scanning', 'container_scanning', 'dast', 'coverage_fuzzing', 'api_fuzzing'];
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];

export const vulnerabilityManagementPolicyList = {
  type: 'array',
  description: 'Vulnerability management policies (auto-resolve). Validated only; policy-sidecar does not act on them.',
  items: {
    type: 'object',
    required: ['name', 'enabled', 'rules', 'actions'],
    properties: {
      name: policyName,
      description: policyDescription,
      enabled: policyEnabled,
      rules: {
        type: 'array',
        maxItems: 5,
        items: {
          type: 'object',
          required: ['type', 'scanners', 'severity_levels'],
          properties: {
            type: { type: 'string', enum: ['no_longer_detected'] },
            scanners: { type: 'array', items: { type: 'string', enum: SCANNERS } },
            severity_levels: { type: 'array', items: { type: 'string', enum: SEVERITIES } },
          },
          additionalProperties: false,
        },
      },
      actions: {
        type: 'array',
        maxItems: 1,
        items: {
          type: 'object',
          properties: { type: { type: 'string', enum: ['auto_resolve'] } },
          additionalProperties: false,
        },
      },
      policy_scope: { $ref: '#/$defs/policy_scope' },
      metadata: { $ref: '#/$defs/metadata' },
    },
  },
};

const pathItems = {
  type: 'array',
  items: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
};

export const ciComponentPublishingPolicyList = {
  type: 'array',
  maxItems: 5,
  description: 'Which projects and groups may publish CI/CD components. Validated only.',
  items: {
    type: 'object',
    required: ['name', 'enabled', 'allowed_sources', 'policy_scope'],
    properties: {
      name: policyName,
      description: policyDescription,
      enabled: policyEnabled,
      allowed_sources: { type: 'object', properties: { projects: pathItems, namespaces: pathItems } },
      policy_scope: { $ref: '#/$defs/policy_scope' },
      metadata: { $ref: '#/$defs/metadata' },
    },
  },
};
