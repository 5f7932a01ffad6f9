/**
 * `approval_policy` (and its legacy alias `scan_result_policy`) entries: GitLab schema
 * `$defs.approval_policy`. Unlike the execution policies, GitLab closes these entries
 * (additionalProperties: false), so an unknown key is an error here too.
 */
import { branchExceptions, branchList } from './scan-execution-defs.js';
import { explained, policyDescription, policyEnabled, policyName } from './shared-defs.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];
const VULNERABILITY_STATES = ['detected', 'confirmed', 'resolved', 'dismissed', 'new_needs_triage', 'new_dismissed'];
const ROLES = ['guest', 'reporter', 'developer', 'maintainer', 'owner'];

const nonEmptyStrings = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } };
const integers = { type: 'array', minItems: 1, items: { type: 'integer' } };

export const licensesWithPackageExclusions = {
  type: 'array',
  minItems: 1,
  maxItems: 1000,
  uniqueItems: true,
  items: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 255 },
      packages: {
        type: 'object',
        additionalProperties: false,
        required: ['excluding'],
        properties: {
          excluding: {
            type: 'object',
            additionalProperties: false,
            required: ['purls'],
            properties: {
              purls: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 1024 } },
            },
          },
        },
      },
    },
  },
};

const whenType = (type: string, then: object) => ({
  if: { properties: { type: { const: type } }, required: ['type'] },
  then,
});

const approvalRule = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['scan_finding', 'license_finding', 'any_merge_request'] },
    branches: branchList,
    branch_type: { type: 'string', enum: ['default', 'protected'] },
    branch_exceptions: branchExceptions,
    scanners: { type: 'array', items: { type: 'string', minLength: 1 } },
    vulnerabilities_allowed: { type: 'integer', minimum: 0, maximum: 32767 },
    severity_levels: { type: 'array', items: { type: 'string', enum: SEVERITIES } },
    vulnerability_states: { type: 'array', items: { type: 'string', enum: VULNERABILITY_STATES } },
    vulnerability_attributes: {
      type: 'object',
      additionalProperties: false,
      properties: { false_positive: { type: 'boolean' }, fix_available: { type: 'boolean' } },
    },
    vulnerability_age: {
      type: 'object',
      additionalProperties: false,
      required: ['operator', 'value', 'interval'],
      properties: {
        operator: { type: 'string', enum: ['greater_than', 'less_than'] },
        value: { type: 'integer' },
        interval: { type: 'string', enum: ['day', 'week', 'month', 'year'] },
      },
    },
    match_on_inclusion_license: { type: 'boolean' },
    license_types: { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 255 } },
    license_states: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ['newly_detected', 'detected'] } },
    licenses: {
      type: 'object',
      additionalProperties: false,
      properties: {
        denied: { $ref: '#/$defs/licenses_with_package_exclusions' },
        allowed: { $ref: '#/$defs/licenses_with_package_exclusions' },
      },
      allOf: [explained('needs exactly one of denied or allowed', { oneOf: [{ required: ['denied'] }, { required: ['allowed'] }] })],
    },
    commits: { type: 'string', enum: ['any', 'unsigned'] },
  },
  allOf: [
    explained('needs exactly one of branches or branch_type', { oneOf: [{ required: ['branches'] }, { required: ['branch_type'] }] }),
    whenType('scan_finding', { required: ['type', 'scanners', 'vulnerabilities_allowed', 'severity_levels', 'vulnerability_states'] }),
    whenType('license_finding', {
      oneOf: [
        { required: ['type', 'match_on_inclusion_license', 'license_types', 'license_states'] },
        { required: ['type', 'license_states', 'licenses'] },
      ],
      errorMessage: 'needs license_states, and either match_on_inclusion_license with license_types, or licenses (type: license_finding)',
    }),
    whenType('any_merge_request', { required: ['type', 'commits'] }),
  ],
  required: ['type'],
  additionalProperties: false,
};

const APPROVER_KEYS = ['user_approvers', 'user_approvers_ids', 'group_approvers', 'group_approvers_ids', 'role_approvers'];

const approvalAction = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['require_approval', 'send_bot_message'] },
    approvals_required: { type: 'integer', minimum: 0, maximum: 100 },
    user_approvers: nonEmptyStrings,
    user_approvers_ids: integers,
    group_approvers: nonEmptyStrings,
    group_approvers_ids: integers,
    role_approvers: {
      type: 'array',
      minItems: 1,
      items: {
        anyOf: [{ type: 'string', enum: ROLES }, { type: 'integer' }],
        errorMessage: `must be one of ${ROLES.join(', ')}, or a custom role id`,
      },
    },
    enabled: { type: 'boolean' },
  },
  allOf: [
    whenType('require_approval', {
      anyOf: APPROVER_KEYS.map((key) => ({ required: ['approvals_required', key] })),
      errorMessage: `needs approvals_required and one of ${APPROVER_KEYS.join(', ')} (type: require_approval)`,
    }),
    whenType('send_bot_message', { required: ['enabled'] }),
  ],
};

const approvalSettings = {
  type: 'object',
  properties: {
    prevent_approval_by_author: { type: 'boolean' },
    prevent_approval_by_commit_author: { type: 'boolean' },
    remove_approvals_with_new_commit: { type: 'boolean' },
    require_password_to_approve: { type: 'boolean' },
    block_branch_modification: { type: 'boolean' },
    prevent_pushing_and_force_pushing: { type: 'boolean' },
    block_group_branch_modification: {
      anyOf: [
        { type: 'boolean' },
        {
          type: 'object',
          required: ['enabled'],
          properties: { enabled: { type: 'boolean' }, exceptions: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } } },
        },
      ],
      errorMessage: 'must be true or false, or a mapping with enabled and exceptions',
    },
  },
};

export const approvalPolicyList = {
  type: 'array',
  description: 'Merge request approval policies (scan_result_policy is the legacy name of this list).',
  items: {
    type: 'object',
    allOf: [
      explained('needs name, enabled, rules, and actions or approval_settings', {
        anyOf: [{ required: ['name', 'enabled', 'rules', 'actions'] }, { required: ['name', 'enabled', 'rules', 'approval_settings'] }],
      }),
    ],
    properties: {
      name: {
        ...policyName,
        allOf: [
          explained('must not be License-Check or Coverage-Check (names GitLab reserves)', { not: { enum: ['License-Check', 'Coverage-Check'] } }),
        ],
      },
      description: policyDescription,
      enabled: policyEnabled,
      rules: { type: 'array', maxItems: 5, items: approvalRule },
      actions: { type: 'array', items: approvalAction },
      approval_settings: approvalSettings,
      fallback_behavior: { type: 'object', properties: { fail: { type: 'string', enum: ['open', 'closed'] } } },
      policy_tuning: { type: 'object', properties: { unblock_rules_using_execution_policies: { type: 'boolean' } } },
      // Newer GitLab keys the schema version we read lacks; accepted without checks so that a
      // file GitLab accepts is not refused here (the entry is otherwise closed).
      enforcement_type: { type: 'string', description: 'Newer GitLab (warn mode); not checked by policy-sidecar.' },
      bypass_settings: { type: 'object', description: 'Newer GitLab; not checked by policy-sidecar.' },
      policy_scope: { $ref: '#/$defs/policy_scope' },
      metadata: { $ref: '#/$defs/metadata' },
    },
    additionalProperties: false,
  },
};
