/**
 * Which jobs the status check requires, read from the composed report (`policy-report.json`,
 * SPEC §6 `--report`) that `policy:compose` keeps as an artifact: every job whose `origin` is
 * `policy`, by the name it has in the composed child pipeline, and the scan execution policies
 * that applied without a job. Pure: the caller downloads it.
 */
import type { RequiredJobs } from './facts.js';

export function requiredJobsFromReport(report: unknown, file: string): RequiredJobs {
  const unreadable = (why: string): RequiredJobs => ({ kind: 'unknown', why: `${file} ${why}`, stillComposing: false });
  if (typeof report !== 'object' || report === null || Array.isArray(report)) return unreadable('is not a JSON object');
  const root = report as Readonly<Record<string, unknown>>; // checked: a non-null object
  if (root['version'] !== 1) return unreadable(`has version ${JSON.stringify(root['version'])}, not 1`);
  const jobs = root['jobs'];
  if (!Array.isArray(jobs)) return unreadable('has no jobs list');
  const names: string[] = [];
  for (const [index, job] of jobs.entries()) {
    const entry = typeof job === 'object' && job !== null ? (job as Readonly<Record<string, unknown>>) : undefined; // checked: an object
    const name = entry?.['name'];
    const origin = entry?.['origin'];
    if (typeof name !== 'string' || typeof origin !== 'string') return unreadable(`has a malformed jobs[${index}]`);
    if (origin === 'policy') names.push(name);
  }
  const scansWithoutJobs = scanPoliciesWithoutJobs(root['policies']);
  return scansWithoutJobs.length === 0 ? { kind: 'known', names, from: 'report' } : { kind: 'known', names, from: 'report', scansWithoutJobs };
}

/**
 * A scan execution policy that applied but whose jobs all dropped out by rules ran no scan here. A
 * pipeline execution policy in that state is the policy's own rules choosing, as GitLab would, so
 * it does not count. Reports written before `outcome` existed have none.
 */
function scanPoliciesWithoutJobs(policies: unknown): string[] {
  if (!Array.isArray(policies)) return [];
  return policies.flatMap((policy: unknown) => {
    const entry = typeof policy === 'object' && policy !== null ? (policy as Readonly<Record<string, unknown>>) : undefined; // checked: an object
    if (entry?.['type'] !== 'scan_execution_policy' || entry['outcome'] !== 'applied-no-jobs') return [];
    const dropped = Array.isArray(entry['droppedBy']) ? entry['droppedBy'].filter((item): item is string => typeof item === 'string') : [];
    return [`"${String(entry['name'])}"${dropped.length === 0 ? '' : ` (${dropped.join('; ')})`}`];
  });
}
