/**
 * `scan_finding` rules (§2.2, §2.3). Both pipelines' findings are filtered by the rule
 * (severity_levels, scanners, vulnerability_attributes); the newly detected ones are the source
 * findings whose id the target lacks (§3.3: set difference of finding identities). New states
 * filter the source side only (FindingsFinder). Pre-existing states count findings in that state,
 * on the default branch only; the vulnerability_age filter applies to them. Violated ⇔ count >
 * vulnerabilities_allowed (strictly greater).
 *
 * A finding's state and first detection come from the project's records when the edge passes
 * them (knownFindings: the policy store, as GitLab's vulnerability records), else from what the
 * report carries (Finding.state, detectedAt). With records, a rule with only pre-existing states
 * counts every recorded finding in those states, as GitLab's query of its vulnerability records
 * does (§2.3), and a mixed rule those of both pipelines (§2.2).
 */
import type { Finding, ReportSet, Severity } from '../findings-model.js';
import { identityOf } from '../reports/report-finding.js';
import type { ScanFindingRule, VulnerabilityAge } from './approval-policy.js';
import type { KnownFindings } from './known-findings.js';
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
  const known = inputs.knownFindings;
  const stateOf = (finding: Finding): string | undefined => known?.get(finding.id)?.state ?? finding.state;
  const source = inputs.source.findings.filter(matches);
  const target = inputs.target?.findings.filter(matches) ?? [];
  // Which findings are the same, by identity key (equal exactly when the ids are): the UUIDs
  // are hashed only for the findings that are reported or looked up in the store.
  const identity = identityOf(source, target);
  const targetIds = new Set(target.map(identity));
  const unseen = usesNew ? unique(source.filter((finding) => !targetIds.has(identity(finding))), identity) : [];
  const newFindings = unseen.filter((finding) => matchesNewStates(rule, stateOf(finding)));
  if (known !== undefined) reasons.push(...storeReasons(rule, known, unseen, preStates));
  const preExisting = preStates.length === 0 ? [] : countPreExisting(rule, preStates, preExistingPool(rule, source, target, targetIds, known, usesNew, identity), inputs.now, reasons, known !== undefined);
  const count = newFindings.length + preExisting.length;
  const violated = count > rule.vulnerabilitiesAllowed;
  const counted = [
    usesNew ? plural(newFindings.length, 'newly detected finding') : undefined,
    preStates.length > 0 ? `${plural(preExisting.length, 'finding')} in ${preStates.join('/')}` : undefined,
  ].filter((part): part is string => part !== undefined);
  reasons.push(`${counted.join(' + ')} ${violated ? '>' : '<='} vulnerabilities_allowed ${rule.vulnerabilitiesAllowed}${filterText(rule)}`);
  const findings: FindingSummary[] = violated ? reportedFindings(newFindings, preExisting) : [];
  return { violated, error, reasons, findings: findings.sort(compareFindings), licenses: [], unsignedCommits: [] };
}

/** A violation's findings: the new ones, then the pre-existing ones that are not also new. */
function reportedFindings(newFindings: readonly Finding[], preExisting: readonly Candidate[]): FindingSummary[] {
  const newIds = new Set(newFindings.map((finding) => finding.id));
  return [...newFindings.map((finding) => summarizeFinding(finding, true)), ...preExisting.filter((candidate) => !newIds.has(candidate.id)).map((candidate) => candidate.summary)];
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

/** What the rule filters on; a recorded finding without the attributes does not have them. */
interface Filtered {
  readonly severity: Severity;
  readonly reportType: string;
  readonly falsePositive?: boolean | undefined;
  readonly fixAvailable?: boolean | undefined;
}

/** A finding a pre-existing state may count: from a pipeline's reports, or only from the project's records. */
interface Candidate {
  readonly id: string;
  readonly state: string | undefined;
  readonly detectedAt: string | undefined;
  readonly summary: FindingSummary;
}

/** Every finding a pre-existing state may count: both pipelines', and without new states the store's records too. */
function preExistingPool(
  rule: ScanFindingRule,
  source: readonly Finding[],
  target: readonly Finding[],
  targetIds: ReadonlySet<string>,
  known: KnownFindings | undefined,
  usesNew: boolean,
  identity: (finding: Finding) => string,
): Candidate[] {
  const pool = unique([...source, ...target], identity).map((finding) => candidateOf(finding, known, !targetIds.has(identity(finding))));
  // §2.3: without new states GitLab counts every vulnerability record in the states, reported here or not.
  if (known !== undefined && !usesNew) {
    const inPool = new Set(pool.map((candidate) => candidate.id));
    pool.push(...[...known.values()].filter((record) => !inPool.has(record.id) && matchesRuleFilters(rule, record)).map(recordCandidate));
  }
  return pool;
}

function candidateOf(finding: Finding, known: KnownFindings | undefined, isNew: boolean): Candidate {
  const record = known?.get(finding.id);
  return { id: finding.id, state: record?.state ?? finding.state, detectedAt: record?.firstSeen ?? finding.detectedAt, summary: summarizeFinding(finding, isNew) };
}

function recordCandidate(record: NonNullable<ReturnType<KnownFindings['get']>>): Candidate {
  return {
    id: record.id,
    state: record.state,
    detectedAt: record.firstSeen,
    summary: { id: record.id, scanner: record.reportType, severity: record.severity, name: record.name, new: false, location: 'default branch (policy store)' },
  };
}

/** What the records changed, for people: dismissals that decided a new finding, and what pre-existing states are counted from. */
function storeReasons(rule: ScanFindingRule, known: KnownFindings, unseen: readonly Finding[], preStates: readonly string[]): string[] {
  const reasons: string[] = [];
  const dismissed = unseen.filter((finding) => known.get(finding.id)?.state === 'dismissed').length;
  if (dismissed > 0) {
    const counted = rule.newStates.includes('new_dismissed');
    reasons.push(`${plural(dismissed, 'newly detected finding')} dismissed in the policy store: ${counted ? 'counted (new_dismissed)' : 'not counted (new_needs_triage only)'}`);
  }
  if (preStates.length > 0) {
    reasons.push(
      known.size === 0
        ? 'the policy store has no finding recorded on the default branch yet: states only from the reports'
        : `states from the policy store: ${plural(known.size, 'finding')} recorded on the default branch`,
    );
  }
  return reasons;
}

function matchesRuleFilters(rule: ScanFindingRule, finding: Filtered): boolean {
  if (rule.severityLevels.length > 0 && !rule.severityLevels.includes(finding.severity)) return false;
  if (rule.scanners.length > 0 && !rule.scanners.includes(finding.reportType)) return false;
  // A report that says nothing about an attribute does not have it.
  if (rule.falsePositive !== undefined && (finding.falsePositive === true) !== rule.falsePositive) return false;
  if (rule.fixAvailable !== undefined && (finding.fixAvailable === true) !== rule.fixAvailable) return false;
  return true;
}

/** FindingsFinder: needs_triage alone drops dismissed findings; dismissed alone keeps only them. */
function matchesNewStates(rule: ScanFindingRule, state: string | undefined): boolean {
  const triage = rule.newStates.includes('new_needs_triage');
  const dismissed = rule.newStates.includes('new_dismissed');
  if (triage && dismissed) return true;
  return triage ? state !== 'dismissed' : state === 'dismissed';
}

function countPreExisting(rule: ScanFindingRule, states: readonly string[], pool: readonly Candidate[], now: Date, reasons: string[], withStore: boolean): Candidate[] {
  const stateless = pool.filter((finding) => finding.state === undefined).length;
  const where = withStore ? 'the reports or the policy store' : 'the reports';
  if (stateless > 0) reasons.push(`${plural(stateless, 'finding')} without a vulnerability state in ${where}: not counted as ${states.join('/')}`);
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

function ageInDays(finding: Candidate, now: Date): number | undefined {
  if (finding.detectedAt === undefined) return undefined;
  const detected = Date.parse(finding.detectedAt);
  return Number.isNaN(detected) ? undefined : (now.getTime() - detected) / DAY_MS;
}

function unique(findings: readonly Finding[], identity: (finding: Finding) => string): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = identity(finding);
    return !seen.has(key) && seen.add(key) !== undefined;
  });
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
