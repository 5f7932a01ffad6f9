/**
 * One project's rollout result, for every output format. `previous` is the setting before the
 * change as GitLab stored it (null: GitLab's default `.gitlab-ci.yml`).
 */
import type { Column } from './output/columns.js';

export type RolloutOutcome =
  | 'would change'
  | 'changed'
  | 'already'
  | 'forbidden'
  | 'gone'
  | 'would restore'
  | 'restored'
  | 'kept';

export interface RolloutRow {
  readonly id: number;
  readonly project: string;
  readonly previous: string | null | undefined;
  readonly wanted: string | null;
  readonly outcome: RolloutOutcome;
  readonly note: string;
}

/** One line of an undo file: written before the setting is changed. */
export interface UndoEntry {
  readonly id: number;
  readonly project: string;
  readonly previous: string | null;
  readonly wanted: string;
}

const shown = (value: string | null | undefined): string => (value === undefined ? '(hidden)' : (value ?? '(default)'));

export const ROLLOUT_COLUMNS: readonly Column<RolloutRow>[] = [
  { header: 'project', width: 40, cell: (row) => ({ text: row.project, tone: 'plain' }) },
  {
    header: 'outcome',
    width: 13,
    cell: (row) => ({
      text: row.outcome,
      tone: row.outcome === 'changed' || row.outcome === 'restored' ? 'good' : row.outcome === 'forbidden' || row.outcome === 'gone' ? 'bad' : 'plain',
    }),
  },
  { header: 'previous', width: 32, cell: (row) => ({ text: shown(row.previous), tone: 'plain' }) },
  { header: 'wanted', width: 32, cell: (row) => ({ text: shown(row.wanted), tone: 'plain' }) },
  { header: 'note', width: 40, cell: (row) => ({ text: row.note, tone: row.note === '' ? 'plain' : 'warn' }) },
];
