/**
 * Invalid report files as one error, for callers that refuse them outright (the report fixture
 * runner; a strict caller). One file keeps its own code and place; several are listed, each
 * with its problem, so a run names every broken file at once instead of one per attempt.
 */
import { ConfigError } from '../../errors.js';
import type { InvalidReport } from '../findings-model.js';

export function invalidReportsError(invalid: readonly InvalidReport[]): ConfigError | undefined {
  const [first, ...rest] = invalid;
  if (first === undefined) return undefined;
  const location = { file: first.file, ...(first.line === undefined ? {} : { line: first.line }), ...(first.column === undefined ? {} : { column: first.column }) };
  const hint = 'GitLab refuses security reports that fail their schema (security-report-schemas 15.x, CycloneDX 1.4–1.6); fix or update the scanner that wrote these files.';
  if (rest.length === 0) return new ConfigError(first.code, first.message, { location, hint });
  const lines = invalid.map((report) => `  - ${report.message}`);
  return new ConfigError('reports-invalid', `${invalid.length} report files are invalid:\n${lines.join('\n')}`, { location, hint });
}
