/**
 * A listing that fails while an earlier project is still being worked on (GitLab down on the
 * next page or frameworks batch): the run stops with that error, after the rows before it, never
 * with an unhandled rejection that ends the process (exit 1 instead of 3). The order of events is
 * forced with promises, not left to timing.
 */
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { runFleet } from '../../src/fleet/run-fleet.js';

type Item = { readonly id: number };

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('runFleet: the listing fails while a project is in flight', () => {
  it('stops with the source error (exit 3 class), after the earlier row, and leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', record);
    const listingFailed = deferred();
    const down = new SourceError('http-retries-exhausted', 'POST /api/graphql failed after 2 attempts');
    async function* projects(): AsyncGenerator<Item> {
      yield { id: 1 };
      try {
        throw down;
      } finally {
        listingFailed.resolve();
      }
    }
    const written: string[] = [];
    try {
      const run = runFleet<Item, Item>({
        run: 'test',
        checkpointPath: undefined,
        outPath: undefined,
        stdout: { write: (text) => written.push(text) },
        format: { start: '', row: (row) => `${row.id}\n`, end: () => '' },
        projects: () => projects(),
        positionOf: (row) => row.id,
        shard: { index: 1, total: 1 },
        concurrency: 4,
        // Project 1 finishes only once the listing has failed and a macrotask has passed: the
        // moment Node reports a rejection nobody awaits.
        work: async (item) => {
          await listingFailed.promise;
          await new Promise((settle) => setImmediate(settle));
          return item;
        },
        countsOf: () => [],
        progress: { tick: () => undefined, stop: () => undefined },
      });
      await expect(run).rejects.toMatchObject({ kind: 'source', code: 'http-retries-exhausted' });
      await new Promise((settle) => setImmediate(settle));
      expect(written.join('')).toBe('1\n');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
