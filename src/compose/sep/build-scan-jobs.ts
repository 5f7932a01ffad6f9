/**
 * One scan execution policy action → its jobs, before rules are evaluated (gitlab-pep-sep.md §5.2,
 * GitLab's CiAction::Template and OnDemandScanPipelineConfigurationService): names
 * `dasherize(name)-<index>` (DAST: `dast-on-demand-<index>`), variables merged, tags and
 * `ignore_default_before_after_script` applied, rules that could switch the scan off removed.
 * An action that cannot be built becomes a job that fails with GitLab's message.
 */
import type { CiVariable, VariableMap } from '../../ci/expand/index.js';
import { isMap, isSeq, type CiMap } from '../../ci/value.js';
import type { SourceLocation } from '../../errors.js';
import type { ScanJobOrigin } from '../types.js';
import { SCAN_DEFAULT_VARIABLES } from './scan-defaults.js';
import type { ScanTemplateConfig } from './read-scan-template.js';
import type { ScanAction } from './select-actions.js';

export interface ScanJobDraft {
  readonly name: string;
  /** The template job's name (`secret_detection`), or the job's own name for an error job. */
  readonly originalName: string;
  /** Keywords as GitLab would merge them into the project config: stage, rules, script... */
  readonly definition: CiMap;
  /** Every YAML variable of the job. */
  readonly variables: VariableMap;
  /** The action's variables and the scan defaults: enforced with the highest precedence (§5.4). */
  readonly enforced: Readonly<Record<string, string>>;
  readonly origin: ScanJobOrigin;
  readonly location: SourceLocation | undefined;
}

// ScanPipelineService / CiAction::Template: these rules could disable the scan.
const ALWAYS_STRIPPED = [/_DISABLED/, /_EXCLUDED_PATHS/];
const EXCLUDED_ANALYZERS = /_EXCLUDED_ANALYZERS/;
const DAST_JOB = 'dast';

/** GitLab's `dasherize`: only `_` becomes `-`. */
export function dasherize(name: string): string {
  return name.replace(/_/g, '-');
}

export function buildScanJobs(action: ScanAction, template: ScanTemplateConfig): ScanJobDraft[] {
  if (action.scan === 'dast') return [buildDastJob(action, template)];
  const enforced = { ...SCAN_DEFAULT_VARIABLES[action.scan], ...action.variables };
  const keepAnalyzerRules = Object.keys(action.variables).some((name) => EXCLUDED_ANALYZERS.test(name));
  return template.jobs.map((job) => {
    const name = `${dasherize(job.name)}-${action.index}`;
    // §5.2: job variables ⊕ template globals ⊕ scan defaults ⊕ action variables (right wins).
    const variables = { ...job.variables, ...template.globalVariables, ...asVariables(enforced) };
    const definition = applyActionSettings(job.definition, action, keepAnalyzerRules);
    return { name, originalName: job.name, definition, variables, enforced, origin: originOf(action, template, enforced), location: job.location };
  });
}

function buildDastJob(action: ScanAction, template: ScanTemplateConfig): ScanJobDraft {
  const name = `dast-on-demand-${action.index}`;
  const failure = dastProblem(action);
  if (failure !== undefined) return errorJob(action, name, 'dast', `Error during On-Demand Scan execution: ${failure}`);
  const job = template.jobs.find((candidate) => candidate.name === DAST_JOB) ?? template.jobs[0];
  if (job === undefined) return errorJob(action, name, 'dast', `Error during On-Demand Scan execution: scan template ${template.template.file} has no job`);
  // OnDemandScanPipelineConfigurationService: template globals ⊕ the dast job's ⊕ the action's.
  const variables = { ...template.globalVariables, ...job.variables, ...asVariables(action.variables) };
  const definition = applyActionSettings(job.definition, action, false);
  const enforced = { ...action.variables };
  return { name, originalName: job.name, definition, variables, enforced, origin: originOf(action, template, enforced), location: job.location };
}

/**
 * GitLab resolves `site_profile` and `scanner_profile` to DAST profiles stored in the project;
 * the sidecar cannot read them, so the action names the target itself (docs/scan-execution-policies.md).
 */
function dastProblem(action: ScanAction): string | undefined {
  if (action.siteProfile === undefined || action.siteProfile === null || action.siteProfile === '') {
    return 'Dast site profile was not provided';
  }
  const target = action.variables['DAST_TARGET_URL'] ?? action.variables['DAST_WEBSITE'];
  if (target === undefined || target === '') {
    return `Dast site profile ${action.siteProfile} cannot be read by policy-sidecar: set DAST_TARGET_URL in the action's variables`;
  }
  return undefined;
}

function errorJob(action: ScanAction, name: string, stage: string, message: string): ScanJobDraft {
  const definition: CiMap = { stage, script: [`echo ${doubleQuoted(message)} && false`], allow_failure: true };
  if (action.tags !== undefined && action.tags.length > 0) definition['tags'] = [...action.tags];
  const origin: ScanJobOrigin = { kind: 'scan-policy', policy: action.policy, scan: action.scan, index: action.index, template: undefined, enforced: [] };
  return { name, originalName: name, definition, variables: {}, enforced: {}, origin, location: action.policy.location };
}

/** The text in shell double quotes, as GitLab writes it, with the characters they do not protect escaped. */
function doubleQuoted(text: string): string {
  return `"${text.replace(/["$`\\]/g, '\\$&')}"`;
}

function applyActionSettings(definition: CiMap, action: ScanAction, keepAnalyzerRules: boolean): CiMap {
  const edited: CiMap = { ...definition };
  delete edited['extends'];
  if (action.tags !== undefined && action.tags.length > 0) edited['tags'] = [...action.tags];
  if (action.ignoreDefaultBeforeAfterScript) {
    // Only where the job has none: the project's `default:` scripts must not reach the scan.
    if (edited['before_script'] === undefined) edited['before_script'] = [];
    if (edited['after_script'] === undefined) edited['after_script'] = [];
  }
  const rules = edited['rules'];
  if (isSeq(rules)) {
    const kept = rules.filter((rule) => !disablesScan(rule, keepAnalyzerRules));
    // GitLab keeps an emptied list (unverified what it then does); a job whose every rule could
    // only disable it runs as if it had none.
    if (kept.length === 0) delete edited['rules'];
    else edited['rules'] = kept;
  }
  return edited;
}

function disablesScan(rule: CiMap[keyof CiMap], keepAnalyzerRules: boolean): boolean {
  if (!isMap(rule) || typeof rule['if'] !== 'string') return false;
  const condition = rule['if'];
  if (ALWAYS_STRIPPED.some((pattern) => pattern.test(condition))) return true;
  return !keepAnalyzerRules && EXCLUDED_ANALYZERS.test(condition);
}

function asVariables(values: Readonly<Record<string, string>>): Record<string, CiVariable> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, expand: true }]));
}

function originOf(action: ScanAction, template: ScanTemplateConfig, enforced: Readonly<Record<string, string>>): ScanJobOrigin {
  return {
    kind: 'scan-policy',
    policy: action.policy,
    scan: action.scan,
    index: action.index,
    template: template.template.name,
    enforced: Object.keys(enforced),
  };
}
