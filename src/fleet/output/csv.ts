/**
 * RFC 4180 CSV, for spreadsheets. A cell a spreadsheet would run as a formula (starting with
 * = + - @, tab or carriage return: OWASP "CSV injection") gets a leading apostrophe, since a
 * project's ci_config_path is any text its Maintainer chose.
 */
import type { Column } from './columns.js';
import type { RowFormat } from './row-format.js';

export function csvFormat<R>(columns: readonly Column<R>[]): RowFormat<R> {
  const line = (cells: readonly string[]): string => `${cells.map(quote).join(',')}\r\n`;
  return {
    start: line(columns.map((column) => column.header)),
    row: (row) => line(columns.map((column) => column.cell(row).text)),
    end: () => '',
  };
}

function quote(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
