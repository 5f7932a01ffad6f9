/**
 * A fixed-width table for terminals and job logs. Control characters from GitLab values are
 * replaced, so a value cannot move the cursor, recolour the log or forge a line.
 */
import type { Column } from './columns.js';
import type { RowFormat } from './row-format.js';

export function tableFormat<R>(columns: readonly Column<R>[]): RowFormat<R> {
  const line = (cells: readonly string[]): string => `${cells.map((cell, index) => fit(cell, columns[index]?.width ?? 10)).join('  ').trimEnd()}\n`;
  return {
    start: line(columns.map((column) => column.header.toUpperCase())),
    row: (row) => line(columns.map((column) => column.cell(row).text)),
    end: (rows) => `${rows} project${rows === 1 ? '' : 's'}\n`,
  };
}

export function withoutControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to match them
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}

function fit(text: string, width: number): string {
  const clean = withoutControlCharacters(text);
  const chars = [...clean];
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : clean.padEnd(width);
}
