/**
 * One scan template, read as CI configuration by our engine (gitlab-pep-sep.md §5.2 steps 1–3):
 * `extends` and `!reference` resolved, hidden jobs gone, global `variables:` taken out. A template
 * that is not valid CI configuration is the policy side's error, with its file and position:
 * never skipped (docs/scan-templates.md).
 */
import { expandConfig, type ExpandedJob, type VariableMap } from '../../ci/expand/index.js';
import type { CiLimits } from '../../ci/limits.js';
import { parseCiFile } from '../../ci/parse.js';
import { locationOfKey } from '../../ci/positions.js';
import { isSidecarError, PolicyError } from '../../errors.js';
import type { ScanTemplateText } from './scan-templates.js';

export interface ScanTemplateConfig {
  readonly template: ScanTemplateText;
  /** The template's global `variables:`. */
  readonly globalVariables: VariableMap;
  /** Its visible jobs, in file order; `variables` of each are its own (after `extends`). */
  readonly jobs: readonly ExpandedJob[];
}

const HINT = 'Fix the scan template, or remove it from the --templates folder to use the one policy-sidecar ships (docs/scan-templates.md).';

export function readScanTemplate(template: ScanTemplateText, limits: CiLimits): ScanTemplateConfig {
  try {
    const parsed = parseCiFile(template.text, template.file, limits);
    if (parsed.content['include'] !== undefined) {
      throw new PolicyError('scan-template-include', `scan template ${template.file} uses include:, which scan templates cannot`, {
        location: locationOfKey(parsed.content, 'include') ?? { file: template.file },
        hint: 'Write the jobs into the template itself (extends and !reference work).',
      });
    }
    const expanded = expandConfig(parsed.content, limits);
    const jobs = expanded.jobs.map((job) => ({ ...job, variables: job.ownVariables }));
    return { template, globalVariables: expanded.globalVariables, jobs };
  } catch (error) {
    if (!isSidecarError(error) || error.kind !== 'config') throw error;
    throw new PolicyError('scan-template-invalid', `scan template ${template.file}: ${error.message}`, {
      location: error.location ?? { file: template.file },
      hint: HINT,
      cause: error,
    });
  }
}
