/**
 * The `rules` of a scan execution policy as typed values (gitlab-pep-sep.md §4.1). The schema has
 * already checked every shape; the narrowing below only satisfies the compiler. Shared by pipeline
 * injection (select-actions.ts) and the schedule planner (src/schedule/).
 */
import { isMap, isSeq, type CiMap, type CiValue } from '../../../ci/value.js';

export type BranchType = 'default' | 'protected' | 'all' | 'target_default' | 'target_protected';

/** `branch_exceptions` item: a name or pattern, or `{name, full_path}` for one project only. */
export interface BranchException {
  readonly name: string;
  /** Set when the exception applies only to the project with this full path. */
  readonly fullPath: string | undefined;
}

interface BranchSelector {
  /** Position in the policy's `rules` list (all types counted). */
  readonly index: number;
  readonly branches: readonly string[] | undefined;
  readonly branchType: BranchType | undefined;
  readonly branchExceptions: readonly BranchException[];
  /** `agents` rules select cluster agents, not branches. */
  readonly agents: boolean;
}

export interface PipelineRule extends BranchSelector {
  readonly type: 'pipeline';
  /** `pipeline_sources` (list or `{including: [...]}`); empty means any source. */
  readonly pipelineSources: readonly string[];
}

export interface ScheduleRule extends BranchSelector {
  readonly type: 'schedule';
  readonly cadence: string;
  readonly timezone: string | undefined;
  /** `time_window.value` in seconds, when the runs are spread over a window. */
  readonly timeWindowSeconds: number | undefined;
}

export type ScanRule = PipelineRule | ScheduleRule;

const BRANCH_TYPES: readonly BranchType[] = ['default', 'protected', 'all', 'target_default', 'target_protected'];

/** Every rule of a policy's raw YAML, in list order; entries of unknown type are skipped. */
export function readScanRules(raw: CiMap): ScanRule[] {
  const list = raw['rules'];
  if (!isSeq(list)) return [];
  const rules: ScanRule[] = [];
  list.forEach((entry, index) => {
    if (!isMap(entry)) return;
    const selector: BranchSelector = {
      index,
      branches: isSeq(entry['branches']) ? strings(entry['branches']) : undefined,
      branchType: BRANCH_TYPES.find((type) => type === entry['branch_type']),
      branchExceptions: readBranchExceptions(entry['branch_exceptions']),
      agents: isMap(entry['agents']),
    };
    if (entry['type'] === 'pipeline') {
      rules.push({ ...selector, type: 'pipeline', pipelineSources: readPipelineSources(entry['pipeline_sources']) });
    } else if (entry['type'] === 'schedule') {
      const window = entry['time_window'];
      const seconds = isMap(window) ? window['value'] : undefined;
      rules.push({
        ...selector,
        type: 'schedule',
        cadence: typeof entry['cadence'] === 'string' ? entry['cadence'] : '',
        timezone: typeof entry['timezone'] === 'string' ? entry['timezone'] : undefined,
        timeWindowSeconds: typeof seconds === 'number' ? seconds : undefined,
      });
    }
  });
  return rules;
}

// Both shapes (gitlab-pep-sep.md §4.1): the docs show a list, GitLab's code reads `including`.
function readPipelineSources(value: CiValue | undefined): string[] {
  if (isSeq(value)) return strings(value);
  if (isMap(value) && isSeq(value['including'])) return strings(value['including']);
  return [];
}

function readBranchExceptions(value: CiValue | undefined): BranchException[] {
  if (!isSeq(value)) return [];
  const exceptions: BranchException[] = [];
  for (const item of value) {
    if (typeof item === 'string') exceptions.push({ name: item, fullPath: undefined });
    else if (isMap(item) && typeof item['name'] === 'string' && typeof item['full_path'] === 'string') {
      exceptions.push({ name: item['name'], fullPath: item['full_path'] });
    }
  }
  return exceptions;
}

function strings(list: CiValue[]): string[] {
  return list.filter((item): item is string => typeof item === 'string');
}
