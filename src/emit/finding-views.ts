/**
 * What `findings list` prints for people: one aligned row per default-branch finding. JSON output
 * is the records themselves (the command writes it), so scripts never parse this.
 */
import type { FindingRecord } from '../store/finding-records.js';
import { renderTable } from './store-views.js';

export function renderFindings(projectPath: string, findings: readonly FindingRecord[]): string {
  if (findings.length === 0) return `no finding recorded for ${projectPath}\n`;
  return renderTable(
    ['ID', 'STATE', 'SEVERITY', 'SCANNER', 'NAME', 'FIRST SEEN', 'LAST SEEN', 'REASON'],
    findings.map((finding) => [
      finding.identity,
      finding.state,
      finding.severity,
      finding.reportType,
      finding.name,
      finding.firstSeen.slice(0, 10),
      finding.lastSeen.slice(0, 10),
      finding.stateReason ?? '',
    ]),
  );
}
