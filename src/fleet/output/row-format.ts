/**
 * A fleet report format: what starts the output, one piece per row, what ends it. Streaming:
 * a row is written as soon as it is known, so memory does not grow with the fleet, and a
 * resumed run appends after the last row written (the end comes once, at the very end).
 */
import { UsageError } from '../../errors.js';
import type { Column } from './columns.js';
import { csvFormat } from './csv.js';
import { htmlFormat } from './html.js';
import { jsonLinesFormat } from './json-lines.js';
import { tableFormat } from './table.js';

export interface RowFormat<R> {
  readonly start: string;
  row(row: R): string;
  end(rows: number): string;
}

export const FORMATS = ['table', 'jsonl', 'csv', 'html'] as const;
export type FormatName = (typeof FORMATS)[number];

export function formatNamed<R>(name: string | undefined, columns: readonly Column<R>[], title: string): RowFormat<R> {
  switch (name ?? 'table') {
    case 'table':
      return tableFormat(columns);
    case 'jsonl':
      return jsonLinesFormat();
    case 'csv':
      return csvFormat(columns);
    case 'html':
      return htmlFormat(columns, title);
    default:
      throw new UsageError('bad-arguments', `--format must be one of ${FORMATS.join(', ')}, not ${name ?? ''}`);
  }
}
