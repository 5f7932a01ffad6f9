/**
 * The records other commands write through the store's typed API: pipeline records (compose now;
 * the verifier, issue #13, and fleet audit, #16, later), verdicts, audit rows and default-branch
 * findings. On PGlite and a PostgreSQL server; on the server also two replicas writing at once.
 */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { BACKENDS, SERVER_URL, backend, backendSkip, freshSchema, registerCleanup } from './store-backends.js';

const at = (minute: number) => () => new Date(Date.UTC(2026, 11, 1, 10, minute));

for (const name of BACKENDS) {
  const skip = backendSkip(name);
  describe.skipIf(skip !== undefined)(`store records on ${name}${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
    const stores = backend(name);

    it('a retried compose job rewrites its pipeline record instead of adding one, and a verdict lands on it', async () => {
      const store = await stores.open({ now: at(1) });
      const record = { projectPath: 'acme/web', pipelineId: 9, sha: 'a1', ref: 'main', source: 'push', result: 'composed' };
      const first = await store.recordPipeline({ ...record, policies: [{ policyId: 'p1', digest: 'd1', applied: true, reason: 'in scope' }] });
      const second = await store.recordPipeline({ ...record, policies: [{ policyId: 'p1', digest: 'd2', applied: true, reason: 'in scope' }] });
      expect(second).toBe(first);
      expect(await store.recordVerdict({ projectPath: 'acme/web', pipelineId: 9, verdict: 'bypassed', detail: { missing: ['policy:pre'] } })).toBe(true);
      expect(await store.recordVerdict({ projectPath: 'acme/web', pipelineId: 10, verdict: 'compliant' })).toBe(false);
      const rows = await stores.raw(store).query<{ pipeline_id: string; verdict: string; digest: string }>(
        'SELECT r.pipeline_id, r.verdict, v.digest FROM pipeline_record r JOIN pipeline_policy_version v ON v.pipeline_record_id = r.id',
      );
      expect(rows.map((row) => ({ ...row, pipeline_id: Number(row.pipeline_id) }))).toEqual([{ pipeline_id: 9, verdict: 'bypassed', digest: 'd2' }]);
    });

    it('default-branch findings: new ones detected, a dismissal stays, gone ones resolved, a resolved one seen again detected', async () => {
      const store = await stores.open({ now: at(2) });
      const leak = { identity: 'secret:aws-key:config.py', reportType: 'secret_detection', severity: 'critical', name: 'AWS key' };
      const sqli = { identity: 'sast:sqli:app.py:12', reportType: 'sast', severity: 'high', name: 'SQL injection' };
      await store.recordDefaultBranchFindings('acme/web', [leak, sqli]);
      expect(await store.setFindingState('acme/web', sqli.identity, 'dismissed')).toBe(true);
      await store.recordDefaultBranchFindings('acme/web', [sqli]);
      expect((await store.findingsOf('acme/web')).map((finding) => [finding.identity, finding.state])).toEqual([
        [sqli.identity, 'dismissed'],
        [leak.identity, 'resolved'],
      ]);
      await store.recordDefaultBranchFindings('acme/web', [leak, sqli]);
      expect((await store.findingsOf('acme/web')).map((finding) => finding.state)).toEqual(['dismissed', 'detected']);
    });

    it('an audit run writes one row per project, rewritten when the run resumes', async () => {
      const store = await stores.open({ now: at(3) });
      await store.recordAuditRow({ runId: 'audit-1', projectPath: 'acme/web', enforced: false, detail: { configPath: '.gitlab-ci.yml' } });
      await store.recordAuditRow({ runId: 'audit-1', projectPath: 'acme/web', enforced: true, detail: { configPath: 'pipeline.yml@platform/ci' } });
      const rows = await stores.raw(store).query<{ enforced: boolean; detail: unknown }>('SELECT enforced, detail FROM audit_record');
      expect(rows).toEqual([{ enforced: true, detail: { configPath: 'pipeline.yml@platform/ci' } }]);
    });

    it('a write that fails half-way leaves nothing of it, and the next one completes', async () => {
      const store = await stores.open({ now: at(4) });
      const raw = stores.raw(store);
      // The database itself fails the second policy version row of the pipeline: a fault mid-transaction.
      await raw.exec(`
        CREATE FUNCTION fail_second() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (SELECT COUNT(*) FROM pipeline_policy_version) >= 1 THEN RAISE EXCEPTION 'disk full'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER fail_second BEFORE INSERT ON pipeline_policy_version FOR EACH ROW EXECUTE FUNCTION fail_second();`);
      const input = {
        projectPath: 'acme/web',
        pipelineId: 11,
        sha: null,
        ref: 'main',
        source: 'push',
        result: 'composed',
        policies: [
          { policyId: 'p1', digest: 'd1', applied: true, reason: 'r' },
          { policyId: 'p2', digest: 'd2', applied: true, reason: 'r' },
        ],
      };
      const failure = await store.recordPipeline(input).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(await raw.query('SELECT * FROM pipeline_record')).toEqual([]);
      await raw.exec('DROP TRIGGER fail_second ON pipeline_policy_version');
      await store.recordPipeline(input);
      expect((await raw.query('SELECT policy_id FROM pipeline_policy_version ORDER BY policy_id')).length).toBe(2);
    });
  });
}

describe.skipIf(SERVER_URL === undefined)('two serve replicas writing to one PostgreSQL server at once', () => {
  it('keeps every record: 2 × 50 pipelines written concurrently, none lost, none doubled', async () => {
    const schema = freshSchema();
    const url = SERVER_URL as string;
    const replicas = [await openStore({ kind: 'postgres', url, schema }), await openStore({ kind: 'postgres', url, schema })];
    registerCleanup(async () => {
      for (const replica of replicas) await replica.close();
    });
    const writes = replicas.flatMap((replica, index) =>
      Array.from({ length: 50 }, (_, n) =>
        replica.recordPipeline({
          projectPath: `group/project-${n % 10}`,
          pipelineId: index * 1000 + n,
          sha: null,
          ref: 'main',
          source: 'push',
          result: 'composed',
          policies: [{ policyId: 'p1', digest: 'd1', applied: true, reason: 'r' }],
        }),
      ),
    );
    // The same pipeline from both replicas at once (a retried job): one row.
    writes.push(...replicas.map((replica) => replica.recordPipeline({ projectPath: 'group/shared', pipelineId: 1, sha: null, ref: 'main', source: 'push', result: 'composed', policies: [] })));
    await Promise.all(writes);
    const { openPostgresClient } = await import('../../src/store/postgres-client.js');
    const raw = await openPostgresClient({ url, schema, maxConnections: 1 });
    registerCleanup(() => raw.close());
    const [counts] = await raw.query<{ records: string; versions: string }>(
      'SELECT (SELECT COUNT(*) FROM pipeline_record) AS records, (SELECT COUNT(*) FROM pipeline_policy_version) AS versions',
    );
    expect({ records: Number(counts?.records), versions: Number(counts?.versions) }).toEqual({ records: 101, versions: 100 });
  });
});
