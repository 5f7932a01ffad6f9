/**
 * Variables GitLab injects into every scan job of a scan execution policy, whatever the template
 * says; only the policy's own action variables override them (gitlab-pep-sep.md §5.2, GitLab's
 * `SCAN_VARIABLES_WITH_RESTRICTED_VARIABLES` in ci_configuration_service.rb). Together with the
 * action's variables they are enforced with the highest precedence (§5.4).
 */
import type { ScanType } from './select-actions.js';

/**
 * A deliberate difference from GitLab, which leaves `AST_ENABLE_MR_PIPELINES` unset (so its stable
 * templates scan only in branch pipelines) and documents that a policy "must set
 * `AST_ENABLE_MR_PIPELINES` to "true" for each enforced scan" where merge request pipelines are
 * used (docs "user/application_security/policies/scan_execution_policies"). The sidecar's
 * templates/policy-sidecar.yml workflow runs a merge request pipeline *instead of* the branch
 * pipeline while a merge request is open, so without it no scan would run for such a branch. As
 * an enforced default a project variable cannot move the scans out; an action's own
 * `AST_ENABLE_MR_PIPELINES: "false"` still can.
 */
const IN_MERGE_REQUEST_PIPELINES = { AST_ENABLE_MR_PIPELINES: 'true' };

export const SCAN_DEFAULT_VARIABLES: Readonly<Record<ScanType, Readonly<Record<string, string>>>> = {
  secret_detection: { SECRET_DETECTION_HISTORIC_SCAN: 'false', SECRET_DETECTION_EXCLUDED_PATHS: '', ...IN_MERGE_REQUEST_PIPELINES },
  dependency_scanning: { DS_EXCLUDED_PATHS: 'spec, test, tests, tmp', DS_EXCLUDED_ANALYZERS: '', ...IN_MERGE_REQUEST_PIPELINES },
  sast: { DEFAULT_SAST_EXCLUDED_PATHS: 'spec, test, tests, tmp', SAST_EXCLUDED_PATHS: '$DEFAULT_SAST_EXCLUDED_PATHS', SAST_EXCLUDED_ANALYZERS: '', ...IN_MERGE_REQUEST_PIPELINES },
  sast_iac: { SAST_EXCLUDED_PATHS: 'spec, test, tests, tmp', SAST_EXCLUDED_ANALYZERS: '', ...IN_MERGE_REQUEST_PIPELINES },
  container_scanning: { ...IN_MERGE_REQUEST_PIPELINES },
  dast: {},
};
