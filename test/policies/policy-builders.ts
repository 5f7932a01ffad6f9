/** Small policy files for tests, built as data and read through the real validator. */
import { validatePolicyFile } from '../../src/policies/validate-policy-file.js';
import type { PolicyFile, PolicyProjectRef, ScopeSubject } from '../../src/policies/types.js';

type Entry = Record<string, unknown>;

export function pep(name: string, extra: Entry = {}): Entry {
  return {
    name,
    enabled: true,
    pipeline_config_strategy: 'inject_policy',
    content: { include: [{ project: 'security/policies', file: `ci/${name}.yml` }] },
    ...extra,
  };
}

export function sep(name: string, extra: Entry = {}): Entry {
  return { name, enabled: true, rules: [{ type: 'pipeline', branches: ['*'] }], actions: [{ scan: 'secret_detection' }], ...extra };
}

/** A policy file of `project` holding `lists` (JSON is YAML, so the real parser reads it). */
export function policyFile(project: PolicyProjectRef, lists: Record<string, Entry[]>): PolicyFile {
  return validatePolicyFile(JSON.stringify(lists), `${project.path}:.gitlab/security-policies/policy.yml`, project);
}

export const TOP_GROUP: PolicyProjectRef = { path: 'acme/top-policies', id: 100 };
export const SUBGROUP: PolicyProjectRef = { path: 'acme/sub/sub-policies', id: 200 };
export const PROJECT_LEVEL: PolicyProjectRef = { path: 'acme/sub/app-policies', id: 300 };

export function subject(overrides: Partial<ScopeSubject> = {}): ScopeSubject {
  return { projectId: 123, groupIds: [10, 11], complianceFrameworks: [], ...overrides };
}
