/** Inputs for selectScanActions tests: one policy project, a push to main unless overridden. */
import { DEFAULT_SCAN_LIMITS, type ScanSelectionInput } from '../../../src/compose/sep/select-actions.js';
import { policyFile, sep, subject, TOP_GROUP } from '../../policies/policy-builders.js';

type Entry = Record<string, unknown>;
type Overrides = Partial<Omit<ScanSelectionInput, 'pipeline' | 'branches'>> & {
  pipeline?: Partial<ScanSelectionInput['pipeline']>;
  branches?: Partial<ScanSelectionInput['branches']>;
};

export { sep };

export function scanInput(policies: Entry[], overrides: Overrides = {}): ScanSelectionInput {
  return {
    files: overrides.files ?? [policyFile(TOP_GROUP, { scan_execution_policy: policies })],
    subject: overrides.subject ?? subject(),
    projectPath: overrides.projectPath ?? 'g/this',
    pipeline: { source: 'push', branch: 'main', tag: undefined, isChild: false, commitMessage: 'change', userId: 1, ...overrides.pipeline },
    branches: { default: 'main', protected: ['main'], openMergeRequestTargets: [], ...overrides.branches },
    limits: overrides.limits ?? DEFAULT_SCAN_LIMITS,
  };
}

/** `sep(name)` with pipeline rules `rules` and actions `[{scan}]...`. */
export function scanPolicy(name: string, rules: Entry[], actions: Entry[] = [{ scan: 'secret_detection' }], extra: Entry = {}): Entry {
  return sep(name, { rules, actions, ...extra });
}
