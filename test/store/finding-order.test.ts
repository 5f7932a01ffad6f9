/**
 * Default-branch findings records in GitLab's pipeline order (docs/store.md "Default-branch
 * findings", migration 004): a late pipeline of an older commit (a smaller pipeline id) changes no
 * state, a newer one applies, the same id again (a retried job) records, and of two records at
 * once the newer wins whichever commits first. On PGlite and a PostgreSQL server.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordDefaultBranchFindings, type FindingInput, type FindingsRecordOutcome } from '../../src/store/finding-records.js';
import type { PolicyStore } from '../../src/store/open-store.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { BACKENDS, SERVER_URL, backend, backendSkip } from './store-backends.js';

const at = (minute: number) => () => new Date(Date.UTC(2026, 11, 3, 10, minute));
const leak = { identity: 'secret:aws-key:config.py', reportType: 'secret_detection', severity: 'critical', name: 'AWS key' };
const sqli = { identity: 'sast:sqli:app.py:12', reportType: 'sast', severity: 'high', name: 'SQL injection' };
const xss = { identity: 'sast:xss:view.py:3', reportType: 'sast', severity: 'medium', name: 'XSS' };
const complete = ['sast', 'secret_detection'];

const statesOf = async (store: PolicyStore, project: string): Promise<Record<string, string>> =>
  Object.fromEntries((await store.findingsOf(project)).map((finding) => [finding.name, finding.state]));

for (const name of BACKENDS) {
  const skip = backendSkip(name);
  describe.skipIf(skip !== undefined)(`default-branch findings in pipeline order on ${name}${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
    const stores = backend(name);
    const record = (store: PolicyStore, pipelineId: number | undefined, findings: readonly FindingInput[], project = 'acme/web') =>
      store.recordDefaultBranchFindings(project, findings, { completeReportTypes: complete, ...(pipelineId === undefined ? {} : { pipelineId }) });

    it('a late older pipeline that still reports a fixed finding does not reopen it', async () => {
      const store = await stores.open({ now: at(1) });
      await record(store, 99, [leak, sqli]);
      // Pipeline 101 (commit B fixes the SQL injection) records first; 100 (commit A) finishes late.
      expect(await record(store, 101, [leak])).toEqual({ reported: 1, added: 0, reopened: 0, resolved: 1 });
      const before = await store.findingsOf('acme/web');
      expect(await record(store, 100, [leak, sqli])).toEqual({ newerPipelineId: 101 });
      expect(await store.findingsOf('acme/web')).toEqual(before);
      expect(await statesOf(store, 'acme/web')).toEqual({ 'AWS key': 'detected', 'SQL injection': 'resolved' });
    });

    it('a late older pipeline that lacks a newer commit\'s finding does not resolve it', async () => {
      const store = await stores.open({ now: at(2) });
      // Commit B introduces the XSS; A's late record would resolve it and merge requests would treat it as new.
      await record(store, 101, [leak, sqli, xss]);
      expect(await record(store, 100, [leak, sqli])).toEqual({ newerPipelineId: 101 });
      expect(await statesOf(store, 'acme/web')).toEqual({ 'AWS key': 'detected', 'SQL injection': 'detected', XSS: 'detected' });
    });

    it('a newer pipeline after an older one applies; the order is per project', async () => {
      const store = await stores.open({ now: at(3) });
      await record(store, 100, [leak, sqli]);
      expect(await record(store, 101, [leak])).toEqual({ reported: 1, added: 0, reopened: 0, resolved: 1 });
      expect(await record(store, 102, [leak, sqli])).toEqual({ reported: 2, added: 0, reopened: 1, resolved: 0 });
      // Another project's pipeline 50 is not older than acme/web's 102: each project keeps its own last id.
      expect(await record(store, 50, [xss], 'acme/api')).toEqual({ reported: 1, added: 1, reopened: 0, resolved: 0 });
      expect(await statesOf(store, 'acme/web')).toEqual({ 'AWS key': 'detected', 'SQL injection': 'detected' });
    });

    it('the same pipeline again (a retried job) records, and changes nothing more', async () => {
      const store = await stores.open({ now: at(4) });
      await record(store, 100, [leak, sqli]);
      expect(await record(store, 101, [leak])).toEqual({ reported: 1, added: 0, reopened: 0, resolved: 1 });
      const before = await store.findingsOf('acme/web');
      expect(await record(store, 101, [leak])).toEqual({ reported: 1, added: 0, reopened: 0, resolved: 0 });
      expect(await store.findingsOf('acme/web')).toEqual(before);
    });

    it('a person\'s decision is not a pipeline record; an unordered record leaves the last pipeline id', async () => {
      const store = await stores.open({ now: at(5) });
      await record(store, 101, [leak, sqli]);
      // findings dismiss after pipeline 101: applies whatever the pipeline ids.
      expect(await store.setFindingState('acme/web', sqli.identity, 'dismissed', 'fixed enum')).toBe(true);
      // A record without an id (outside CI) applies, and 101 stays the last: 100 is still refused.
      expect(await record(store, undefined, [leak])).toMatchObject({ reported: 1 });
      expect(await record(store, 100, [leak, sqli, xss])).toEqual({ newerPipelineId: 101 });
      expect(await statesOf(store, 'acme/web')).toEqual({ 'AWS key': 'detected', 'SQL injection': 'dismissed' });
      expect(await stores.raw(store).query<{ pipeline_id: string }>('SELECT pipeline_id::text FROM finding_pipeline')).toEqual([{ pipeline_id: '101' }]);
    });

    for (const first of [101, 100]) {
      it(`two records at once, ${first} taking the project's lock first: the newer pipeline's findings stand`, async () => {
        const store = await stores.open({ now: at(6) });
        const project = `order/${randomBytes(4).toString('hex')}`;
        await record(store, 99, [leak, sqli], project);
        const second = first === 101 ? 100 : 101;
        // 101 fixes the SQL injection; 100 still reports it.
        const findings = (id: number) => (id === 101 ? [leak] : [leak, sqli]);
        const outcomes = name === 'postgres'
          ? await interleaveOnServer(stores.raw(store), project, [first, second], findings)
          : await Promise.all([first, second].map((id) => record(store, id, findings(id), project)));
        expect(outcomes[1]).toEqual(second === 100 ? { newerPipelineId: 101 } : { reported: 1, added: 0, reopened: 0, resolved: 1 });
        expect(await statesOf(store, project)).toEqual({ 'AWS key': 'detected', 'SQL injection': 'resolved' });
      });
    }
  });
}

/**
 * Two transactions on two connections, in a fixed interleaving: the first records and holds its
 * transaction open; the second starts, and the server shows it waiting for the project's lock
 * (pg_locks, polled: no sleep decides the order); then the first commits and the second runs.
 */
async function interleaveOnServer(
  raw: SqlClient,
  project: string,
  [first, second]: readonly [number, number],
  findings: (id: number) => readonly FindingInput[],
): Promise<FindingsRecordOutcome[]> {
  const now = new Date(Date.UTC(2026, 11, 3, 11, 0));
  const options = (pipelineId: number) => ({ completeReportTypes: complete, pipelineId });
  let commitFirst = (): void => undefined;
  const released = new Promise<void>((resolve) => (commitFirst = resolve));
  let signalRecorded = (): void => undefined;
  const recorded = new Promise<void>((resolve) => (signalRecorded = resolve));
  const firstRun = raw.transaction(async (tx) => {
    const outcome = await recordDefaultBranchFindings(tx, project, findings(first), now, options(first));
    signalRecorded();
    await released;
    return outcome;
  });
  await recorded;
  const secondRun = raw.transaction((tx) => recordDefaultBranchFindings(tx, project, findings(second), now, options(second)));
  const { openPostgresClient } = await import('../../src/store/postgres-client.js');
  const watcher = await openPostgresClient({ url: SERVER_URL as string, maxConnections: 1 });
  try {
    for (let polls = 0; ; polls += 1) {
      const [row] = await watcher.query<{ waiting: string }>(
        `SELECT count(*)::text AS waiting FROM pg_locks
          WHERE locktype = 'advisory' AND NOT granted AND classid::bigint = 7262016 AND objid::bigint = (hashtext($1)::bigint + 4294967296) % 4294967296`,
        [project],
      );
      if (row?.waiting === '1') break;
      if (polls > 2_000) throw new Error('the second record never waited for the first');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await watcher.close();
  }
  commitFirst();
  return [await firstRun, await secondRun];
}
