/**
 * The JSON Schema of `.gitlab/security-policies/policy.yml`, assembled from schema/*.ts. Same
 * keys as GitLab's ee/app/validators/json_schemas/security_orchestration_policy.json (draft-07,
 * `additionalProperties: false` where GitLab has it), plus the newer keys GitLab's docs describe.
 * schema/policy.schema.json is generated from this object (test/policies/policy-schema.test.ts
 * fails when it is stale; UPDATE_GOLDENS=1 rewrites it).
 */
import { approvalPolicyList, licensesWithPackageExclusions } from './schema/approval-defs.js';
import { ciComponentPublishingPolicyList, vulnerabilityManagementPolicyList } from './schema/other-policy-defs.js';
import { pipelineExecutionPolicyList, pipelineExecutionSchedulePolicyList } from './schema/pipeline-execution-defs.js';
import { scanExecutionPolicyList } from './schema/scan-execution-defs.js';
import { explained, sharedDefs } from './schema/shared-defs.js';
import type { PolicyType } from './types.js';

export const POLICY_SCHEMA_ID = 'https://unpkg.com/policy-sidecar/schema/policy.schema.json';

/** The policy lists, in the order GitLab's schema lists them. */
export const POLICY_TYPES: readonly PolicyType[] = [
  'scan_execution_policy',
  'scan_result_policy',
  'approval_policy',
  'pipeline_execution_policy',
  'pipeline_execution_schedule_policy',
  'vulnerability_management_policy',
  'ci_component_publishing_policy',
];

export const policySchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: POLICY_SCHEMA_ID,
  title: 'GitLab security policies (.gitlab/security-policies/policy.yml), as read by policy-sidecar',
  description:
    'The policy file of a security policy project, read from its default branch. Same keys as GitLab; see https://docs.gitlab.com/user/application_security/policies/',
  type: 'object',
  // GitLab's anyOf lacks the schedule list (it predates it); a file holding only that list is valid here.
  allOf: [
    explained(`policy.yml must hold at least one policy list: ${POLICY_TYPES.join(', ')}`, {
      anyOf: POLICY_TYPES.map((type) => ({ required: [type] })),
    }),
  ],
  properties: {
    scan_execution_policy: { $ref: '#/$defs/scan_execution_policy' },
    scan_result_policy: { $ref: '#/$defs/approval_policy' },
    approval_policy: { $ref: '#/$defs/approval_policy' },
    pipeline_execution_policy: { $ref: '#/$defs/pipeline_execution_policy' },
    pipeline_execution_schedule_policy: { $ref: '#/$defs/pipeline_execution_schedule_policy' },
    vulnerability_management_policy: { $ref: '#/$defs/vulnerability_management_policy' },
    ci_component_publishing_policy: { $ref: '#/$defs/ci_component_publishing_policy' },
    experiments: { $ref: '#/$defs/experiments' },
  },
  additionalProperties: false,
  $defs: {
    scan_execution_policy: scanExecutionPolicyList,
    approval_policy: approvalPolicyList,
    pipeline_execution_policy: pipelineExecutionPolicyList,
    pipeline_execution_schedule_policy: pipelineExecutionSchedulePolicyList,
    vulnerability_management_policy: vulnerabilityManagementPolicyList,
    ci_component_publishing_policy: ciComponentPublishingPolicyList,
    licenses_with_package_exclusions: licensesWithPackageExclusions,
    ...sharedDefs,
  },
};
