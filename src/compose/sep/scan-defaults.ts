/**
 * Variables GitLab injects into every scan job of a scan execution policy, whatever the template
 * says; only the policy's own action variables override them (gitlab-pep-sep.md §5.2, GitLab's
 * `SCAN_VARIABLES_WITH_RESTRICTED_VARIABLES` in ci_configuration_service.rb). Together with the
 * action's variables they are enforced with the highest precedence (§5.4).
 */
import type { ScanType } from './select-actions.js';

export const SCAN_DEFAULT_VARIABLES: Readonly<Record<ScanType, Readonly<Record<string, string>>>> = {
  secret_detection: { SECRET_DETECTION_HISTORIC_SCAN: 'false', SECRET_DETECTION_EXCLUDED_PATHS: '' },
  dependency_scanning: { DS_EXCLUDED_PATHS: 'spec, test, tests, tmp', DS_EXCLUDED_ANALYZERS: '' },
  sast: { DEFAULT_SAST_EXCLUDED_PATHS: 'spec, test, tests, tmp', SAST_EXCLUDED_PATHS: '$DEFAULT_SAST_EXCLUDED_PATHS', SAST_EXCLUDED_ANALYZERS: '' },
  sast_iac: { SAST_EXCLUDED_PATHS: 'spec, test, tests, tmp', SAST_EXCLUDED_ANALYZERS: '' },
  container_scanning: {},
  dast: {},
};
