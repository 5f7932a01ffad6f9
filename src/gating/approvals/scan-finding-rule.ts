/**
 * `scan_finding` rules (§2.2, §2.3). Both pipelines' findings are filtered by the rule
 * (severity_levels, scanners, vulnerability_attributes); the newly detected ones are the source
 * findings whose id the target lacks (§3.3: set difference of finding identities). New states
 * filter the source side only (FindingsFinder). Pre-existing states count findings whose report
 * says they are in that state, on the default branch only; the vulnerability_age filter applies
 * to them. Violated ⇔ count > vulnerabilities_allowed (strictly greater).
 *
 * Offline limit: GitLab reads pre-existing states, dismissals and first-detection times from its
 * vulnerability records; we only know what the reports carry (Finding.state, detectedAt).
 */
import type { Finding, ReportSet } from '../findings-model.js';
import type { ScanFindingRule, VulnerabilityAge } from './approval-policy.js';
import { compareFindings, invalidReportError, plural, summarizeFinding, type FindingSummary, type RuleCheck, type RuleError, type RuleInputs } from './rule-check.js';

const DAYS: Record<VulnerabilityAge['interval'], number> = { day: 1, week: 7, month: 30, year: 365 };
const DAY_MS = 86_400_000;

export function checkScanFindingRule(rule: ScanFindingRule, inputs: RuleInputs): RuleCheck {
  const reasons: string[] = [];
  const preStates = inputs.targetIsDefault ? rule.preExistingStates : [];
  if (rule.preExistingStates.length > 0 && !inputs.targetIsDefault) {
    reasons.push(`pre-existing states (${rule.preExistingStates.join(', ')}) count only on the default branch: ignored`);
  }
  const usesNew = rule.newStates.length > 0;
  if (!usesNew && preStates.length === 0) {
    return { violated: false, error: undefined, reasons: [...reasons, 'no vulnerability state left to count'], findings: [], licenses: [], unsignedCommits: [] };
  }
  // An invalid report first: it names what is wrong, where a missing scan would only follow from it.
  const needs = (kind: string): boolean => kind !== 'cyclonedx' && (rule.scanners.length === 0 || rule.scanners.some((scanner) => scanner === kind));
  const error = invalidReportError(needs, inputs.source, inputs.target) ?? (usesNew ? pipelineError(rule, inputs.source, inputs.target) : undefined);
  const matches = (finding: Finding): boolean => matchesRuleFilters(rule, finding);
  const source = inputs.source.findings.filter(matches);
  const target = inputs.target?.findings.filter(matches) ?? [];
  const targetIds = new Set(target.map((finding) => finding.id));
  const newFindings = usesNew ? unique(source.filter((finding) => !targetIds.has(finding.id) && matchesNewStates(rule, finding))) : [];
  const preExisting = preStates.length === 0 ? [] : countPreExisting(rule, preStates, unique([...source, ...target]), inputs.now, reasons);
  const count = newFindings.length + preExisting.length;
  const violated = count > rule.vulnerabilitiesAllowed;
  const counted = [
    usesNew ? plural(newFindings.length, 'newly detected finding') : undefined,
    preStates.length > 0 ? `${plural(preExisting.length, 'finding')} in ${preStates.join('/')}` : undefined,
  ].filter((part): part is string => part !== undefined);
  reasons.push(`${counted.join(' + ')} ${violated ? '>' : '<='} vulnerabilities_allowed ${rule.vulnerabilitiesAllowed}${filterText(rule)}`);
  const findings: FindingSummary[] = violated
    ? [...newFindings.map((finding) => summarizeFinding(finding, true)), ...preExisting.filter((finding) => !newFindings.includes(finding)).map((finding) => summarizeFinding(finding, !targetIds.has(finding.id)))]
    : [];
  return { violated, error, reasons, findings: findings.sort(compareFindings), licenses: [], unsignedCommits: [] };
}

/**
 * Checked before findings (§2.2 "Missing scans"): no target pipeline, or a scan the rule needs
 * missing from the source. Missing = the rule's scanners the source lacks, plus the target's
 * scans the source lacks (narrowed to the rule's scanners when it names some).
 */
function pipelineError(rule: ScanFindingRule, source: ReportSet, target: ReportSet | undefined): RuleError | undefined {
  const has = (set: ReportSet, scanner: string): boolean => [...set.reportTypes].some((type) => type === scanner);
  const named = rule.scanners.filter((scanner) => !has(source, scanner));
  const removed = target === undefined ? [] : [...target.reportTypes].filter((type) => !has(source, type) && (rule.scanners.length === 0 || rule.scanners.includes(type)));
  // A scan a policy applied but whose report is missing counts for every rule that covers its type.
  const expected = (source.missingScans ?? []).filter((scan) => rule.scanners.length === 0 || rule.scanners.includes(scan.reportType));
  const missing = [...new Set([...named, ...removed, ...expected.map((scan) => scan.reportType)])].sort();
  if (missing.length > 0) {
    const why = expected.length === 0 ? '' : ` (${expected.map((scan) => scan.why).join('; ')})`;
    return { code: 'SCAN_REMOVED', message: `security reports required by the rule are missing from the source pipeline: ${missing.join(', ')}${why}` };
  }
  if (target === undefined) {
    return { code: 'TARGET_PIPELINE_MISSING', message: 'no target-branch pipeline to compare with: newly detected findings cannot be told apart' };
  }
  return undefined;
}

function matchesRuleFilters(rule: ScanFindingRule, finding: Finding): boolean {
  if (rule.severityLevels.length > 0 && !rule.severityLevels.includes(finding.severity)) return false;
  if (rule.scanners.length > 0 && !rule.scanners.includes(finding.reportType)) return false;
  // A report that says nothing about an attribute does not have it.
  if (rule.falsePositive !== undefined && (finding.falsePositive === true) !== rule.falsePositive) return false;
  if (rule.fixAvailable !== undefined && (finding.fixAvailable === true) !== rule.fixAvailable) return false;
  return true;
}

/** FindingsFinder: needs_triage alone drops dismissed findings; dismissed alone keeps only them. */
function matchesNewStates(rule: ScanFindingRule, finding: Finding): boolean {
  const triage = rule.newStates.includes('new_needs_triage');
  const dismissed = rule.newStates.includes('new_dismissed');
  if (triage && dismissed) return true;
  return triage ? finding.state !== 'dismissed' : finding.state === 'dismissed';
}

function countPreExisting(rule: ScanFindingRule, states: readonly string[], pool: readonly Finding[], now: Date, reasons: string[]): Finding[] {
  const stateless = pool.filter((finding) => finding.state === undefined).length;
  if (stateless > 0) reasons.push(`${plural(stateless, 'finding')} without a vulnerability state in the reports: not counted as ${states.join('/')}`);
  const inState = pool.filter((finding) => finding.state !== undefined && states.includes(finding.state));
  const age = rule.vulnerabilityAge;
  if (age === undefined) return inState;
  const undated = inState.filter((finding) => ageInDays(finding, now) === undefined).length;
  if (undated > 0) reasons.push(`${plural(undated, 'finding')} without a detection date: vulnerability_age cannot be checked, not counted`);
  return inState.filter((finding) => {
    const days = ageInDays(finding, now);
    if (days === undefined) return false;
    const limit = age.value * DAYS[age.interval];
    return age.operator === 'greater_than' ? days > limit : days < limit;
  });
}

function ageInDays(finding: Finding, now: Date): number | undefined {
  if (finding.detectedAt === undefined) return undefined;
  const detected = Date.parse(finding.detectedAt);
  return Number.isNaN(detected) ? undefined : (now.getTime() - detected) / DAY_MS;
}

function unique(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => !seen.has(finding.id) && seen.add(finding.id) !== undefined);
}

function filterText(rule: ScanFindingRule): string {
  const parts = [
    `scanners ${rule.scanners.length === 0 ? 'all' : rule.scanners.join(', ')}`,
    `severity ${rule.severityLevels.length === 0 ? 'any' : rule.severityLevels.join(', ')}`,
    ...(rule.falsePositive === undefined ? [] : [`false_positive ${rule.falsePositive}`]),
    ...(rule.fixAvailable === undefined ? [] : [`fix_available ${rule.fixAvailable}`]),
  ];
  return ` (${parts.join('; ')})`;
}
