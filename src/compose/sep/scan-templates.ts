/**
 * Scan templates: the CI job definitions each scan execution policy action is built from
 * (templates/scans/<scan>.yml, `<scan>.latest.yml` for `template: latest`; docs/scan-templates.md).
 * The CLI reads them at the edge (the sidecar's own folder, overlaid by `--templates DIR`) and
 * passes their texts in; the core never opens a file.
 */
import type { ScanType } from './select-actions.js';

export interface ScanTemplateText {
  /** File name, the key GitLab's template names map to: `secret_detection.yml`, `sast.latest.yml`. */
  readonly name: string;
  /** Where it was read from, as errors and the report name it. */
  readonly file: string;
  readonly text: string;
}

/** Templates by file name. */
export type ScanTemplates = ReadonlyMap<string, ScanTemplateText>;

/** The scans a template file exists for. */
export const SCAN_TEMPLATE_SCANS: readonly ScanType[] = ['secret_detection', 'sast', 'sast_iac', 'dependency_scanning', 'container_scanning', 'dast'];

/**
 * GitLab's `CiAction::Template.scan_template_path`: `Jobs/<Scan>` or `Jobs/<Scan>.latest`; here
 * the file names are the scan types themselves.
 */
export function scanTemplateName(scan: ScanType, template: 'default' | 'latest'): string {
  return template === 'latest' ? `${scan}.latest.yml` : `${scan}.yml`;
}

/** Every file name a complete template set has. */
export function scanTemplateNames(): string[] {
  return SCAN_TEMPLATE_SCANS.flatMap((scan) => [scanTemplateName(scan, 'default'), scanTemplateName(scan, 'latest')]);
}
