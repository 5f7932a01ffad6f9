/** One JSON object per line: the format shards write and `--merge` joins. */
import type { RowFormat } from './row-format.js';

export function jsonLinesFormat<R>(): RowFormat<R> {
  return { start: '', row: (row) => `${JSON.stringify(row)}\n`, end: () => '' };
}
