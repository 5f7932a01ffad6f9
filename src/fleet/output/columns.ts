/**
 * The columns of a fleet report, shared by the table, CSV and HTML formats. A cell is text
 * plus a tone the HTML page colours by; every text may hold what a project put there (its
 * ci_config_path, a policy name), and each format escapes it for its own medium.
 */
import type { AuditRow } from '../audit-row.js';

export type Tone = 'good' | 'bad' | 'warn' | 'plain';

export interface Column<R> {
  readonly header: string;
  /** Table width; longer cells are cut. */
  readonly width: number;
  cell(row: R): { readonly text: string; readonly tone: Tone };
}

const plain = (text: string): { text: string; tone: Tone } => ({ text, tone: 'plain' });

export const AUDIT_COLUMNS: readonly Column<AuditRow>[] = [
  { header: 'project', width: 40, cell: (row) => plain(row.project) },
  {
    header: 'enforced',
    width: 8,
    cell: (row) => (row.state !== 'ok' ? { text: row.state, tone: 'warn' } : row.enforced ? { text: 'yes', tone: 'good' } : { text: 'no', tone: 'bad' }),
  },
  { header: 'ci_config_path', width: 32, cell: (row) => plain(row.ciConfigPath === undefined ? '(hidden)' : (row.ciConfigPath ?? '(default)')) },
  {
    header: 'policies',
    width: 30,
    cell: (row) => plain(row.policies.filter((policy) => policy.applied).map((policy) => policy.name).join('; ')),
  },
  {
    header: 'pipeline',
    width: 10,
    cell: (row) => {
      const status = row.pipeline?.status ?? 'none';
      return { text: status, tone: status === 'success' ? 'good' : status === 'failed' ? 'bad' : 'plain' };
    },
  },
  {
    header: 'verified',
    width: 9,
    cell: (row) => ({ text: row.verified, tone: row.verified === 'success' ? 'good' : row.verified === 'none' ? 'warn' : 'bad' }),
  },
  {
    header: 'drift',
    width: 40,
    cell: (row) => ({ text: row.drift.map((finding) => finding.message).join('; '), tone: row.drift.length > 0 ? 'bad' : 'plain' }),
  },
  { header: 'notes', width: 30, cell: (row) => ({ text: row.notes.join('; '), tone: row.notes.length > 0 ? 'warn' : 'plain' }) },
];
