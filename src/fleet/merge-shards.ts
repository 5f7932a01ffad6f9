/**
 * The merge step of a sharded run: the shards' JSON lines files (each in project id order)
 * joined into one report in id order, in any format. A k-way merge reading one line per file at
 * a time, so memory holds one row per shard, not the fleet.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from '../errors.js';
import type { RowFormat } from './output/row-format.js';
import type { RowSink } from './output-file.js';

export async function mergeShards<R extends { readonly id: number }>(
  paths: readonly string[],
  format: RowFormat<R>,
  sink: RowSink,
  check: (value: unknown, where: string) => R,
): Promise<number> {
  const readers = paths.map((path) => ({ path, lines: createInterface({ input: createReadStream(path), crlfDelay: Infinity })[Symbol.asyncIterator](), line: 0 }));
  type Head = { reader: (typeof readers)[number]; row: R };
  const next = async (reader: (typeof readers)[number]): Promise<Head | undefined> => {
    for (;;) {
      const result = await reader.lines.next();
      if (result.done === true) return undefined;
      reader.line += 1;
      if (result.value.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(result.value);
      } catch {
        throw new UsageError('bad-shard-file', `${reader.path}:${reader.line}: not a JSON line`, { hint: 'Merge the shards\' --format jsonl outputs.' });
      }
      return { reader, row: check(value, `${reader.path}:${reader.line}`) };
    }
  };
  const heads = (await Promise.all(readers.map(next))).filter((head): head is Head => head !== undefined);
  await sink.write(format.start);
  let rows = 0;
  let lastId = -Infinity;
  while (heads.length > 0) {
    // Few shards (a CI job's parallel:), so a linear scan for the smallest id is enough.
    let smallest = 0;
    heads.forEach((head, index) => {
      if (head.row.id < (heads[smallest]?.row.id ?? Infinity)) smallest = index;
    });
    const head = heads[smallest] as Head; // heads is not empty
    if (head.row.id === lastId) {
      throw new UsageError('bad-shard-file', `project ${head.row.id} is in more than one shard file (${head.reader.path})`, { hint: 'Merge the outputs of one sharded run, each shard once.' });
    }
    lastId = head.row.id;
    await sink.write(format.row(head.row));
    rows += 1;
    const following = await next(head.reader);
    if (following === undefined) heads.splice(smallest, 1);
    else heads[smallest] = following;
  }
  await sink.write(format.end(rows));
  return rows;
}
