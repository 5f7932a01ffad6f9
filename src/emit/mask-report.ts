/**
 * A report with possibly masked variable values taken out of its text (see log/masked-values.ts).
 * Names that identify jobs, stages and policies are kept as they are: they are written in YAML,
 * never expanded from variables, and `serve` reads the policy job names back from this file.
 * Everything else that is text (reasons, rule descriptions, file locations, the workflow name,
 * failure messages) may hold a value expanded from a variable, so it is masked.
 */
import type { PipelineReport } from './report.js';

type Mask = (text: string) => string;

// Keys whose values are identities from YAML or GitLab, in any object of the report.
const IDENTITY_KEYS = new Set(['name', 'originalName', 'stage', 'declaredStage', 'policy', 'policyProject', 'type', 'origin', 'when', 'code', 'index', 'applied']);

export function maskReport(report: PipelineReport, mask: Mask): PipelineReport {
  const masked = maskValue(report, mask, false) as PipelineReport; // same shape: only strings replaced
  // The top-level name is the workflow:name, expanded from variables like a rule's text.
  return { ...masked, name: report.name === null ? null : mask(report.name), stages: report.stages, project: report.project, ref: report.ref };
}

function maskValue(value: unknown, mask: Mask, identity: boolean): unknown {
  if (typeof value === 'string') return identity ? value : mask(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, mask, identity));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(item, mask, IDENTITY_KEYS.has(key))]));
  }
  return value;
}
