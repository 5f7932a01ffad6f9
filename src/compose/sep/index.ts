/**
 * Scan execution policies (gitlab-pep-sep.md §4, §5): which actions apply (select-actions.ts),
 * the jobs each makes from its scan template, and their place in the pipeline. Pure: templates
 * arrive as texts, the Source is only asked about open merge requests.
 */
export { prepareScanPolicies, type ScanPolicies, type ScanPolicyRequest } from './prepare-scan-policies.js';
export { generateScanJobs, type ActionJobs, type GeneratedScanJobs, type ScanJobsRequest } from './generate-scan-jobs.js';
export { mergeScanJobsIntoComposed, mergeScanJobsIntoProject, restoreScanOrigins, NO_SCAN_MERGE, type ScanMerge } from './merge-scan-jobs.js';
export { placeScanJobs, SCAN_POLICIES_STAGE, DAST_STAGE } from './place-scan-jobs.js';
export { buildScanJobs, dasherize, type ScanJobDraft } from './build-scan-jobs.js';
export { scanTemplateName, scanTemplateNames, SCAN_TEMPLATE_SCANS, type ScanTemplates, type ScanTemplateText } from './scan-templates.js';
export { SCAN_DEFAULT_VARIABLES } from './scan-defaults.js';
export { describeScanActions, type ScanActionOutcome } from './describe-scan-actions.js';
