/**
 * The policy versions the compose job says it used (its report's digests) are the versions
 * recomputed from the policy projects' default branches now. The report is the project
 * pipeline's artifact, so it is compared, never trusted: a missing, older or edited report fails.
 */
import type { Expectation, ExpectedPolicy } from './expectation.js';
import { check, type Check } from './verdict.js';

interface RecordedPolicy {
  readonly key: string;
  readonly digest: string | undefined;
}

export function checkPolicyVersions(report: unknown, expectation: Expectation, reportPath: string): Check {
  const recorded = recordedPolicies(report);
  if (recorded === undefined) return check('policy-versions', false, `the compose job has no readable ${reportPath}: the policy versions it used are unknown`);
  const problems: string[] = [];
  for (const policy of expectation.policies) {
    const found = recorded.get(keyOf(policy));
    if (found === undefined) problems.push(`"${policy.name}" (${policy.policyProject}) applies but the compose report does not list it as applied`);
    else if (found.digest === undefined) problems.push(`"${policy.name}" has no digest in the compose report (composed by an older policy-sidecar?)`);
    else if (found.digest !== policy.digest) problems.push(`"${policy.name}" was composed at ${short(found.digest)}, but the policy project's default branch has ${short(policy.digest)}`);
  }
  const expectedKeys = new Set(expectation.policies.map(keyOf));
  for (const [key] of recorded) if (!expectedKeys.has(key)) problems.push(`the compose report lists ${key} as applied, which does not apply now`);
  if (problems.length > 0) return check('policy-versions', false, `policy versions differ: ${problems.join('; ')}. Run a new pipeline if the policies changed since.`);
  return check('policy-versions', true, `the compose report's ${expectation.policies.length} policy version(s) match the policy projects' default branches`);
}

function keyOf(policy: Pick<ExpectedPolicy, 'policyProject' | 'type' | 'index' | 'name'>): string {
  return `"${policy.name}" (${policy.policyProject}, ${policy.type} #${policy.index})`;
}

/** The report's applied policies by key; undefined when it is not a version-1 report. */
function recordedPolicies(report: unknown): Map<string, RecordedPolicy> | undefined {
  if (typeof report !== 'object' || report === null) return undefined;
  const root = report as Readonly<Record<string, unknown>>; // checked: a non-null object
  if (root['version'] !== 1 || !Array.isArray(root['policies'])) return undefined;
  const result = new Map<string, RecordedPolicy>();
  for (const entry of root['policies'] as unknown[]) {
    if (typeof entry !== 'object' || entry === null) return undefined;
    const policy = entry as Readonly<Record<string, unknown>>; // checked: a non-null object
    const { name, policyProject, type, index, applied, digest } = policy;
    if (typeof name !== 'string' || typeof policyProject !== 'string' || typeof type !== 'string' || typeof index !== 'number') return undefined;
    if (applied !== true) continue;
    const key = keyOf({ name, policyProject, type, index });
    result.set(key, { key, digest: typeof digest === 'string' ? digest : undefined });
  }
  return result;
}

function short(digest: string | undefined): string {
  return digest === undefined ? 'no digest' : digest.replace(/^sha256:/, '').slice(0, 12);
}
