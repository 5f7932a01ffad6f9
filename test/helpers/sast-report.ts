/**
 * A SAST report (security report schema 15.0.7) around the given vulnerabilities, from one
 * scanner that finished successfully: the envelope tests of finding identity all need, so each
 * spells out only the vulnerabilities it is about.
 */
export function sastReportDocument(vulnerabilities: readonly object[], scanner = 'semgrep'): Record<string, unknown> {
  const tool = { id: scanner, name: scanner, version: '1.0.0', vendor: { name: 'GitLab' } };
  return {
    version: '15.0.7',
    scan: { analyzer: tool, scanner: tool, type: 'sast', start_time: '2025-03-04T10:00:00', end_time: '2025-03-04T10:01:00', status: 'success' },
    vulnerabilities,
  };
}

/** One approval policy: a newly detected critical SAST finding requires an approval (exit 1). */
export const NO_NEW_CRITICAL_SAST = {
  approval_policy: [
    {
      name: 'No new critical SAST findings',
      enabled: true,
      rules: [{ type: 'scan_finding', branches: ['main'], scanners: ['sast'], vulnerabilities_allowed: 0, severity_levels: ['critical'], vulnerability_states: ['new_needs_triage'] }],
      actions: [{ type: 'require_approval', approvals_required: 1, user_approvers_ids: [1] }],
    },
  ],
};
