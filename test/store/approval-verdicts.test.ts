/**
 * `evaluate` with a store records its approval verdict of a merge request pipeline next to
 * compose's record of the same pipeline (docs/store.md, migration 003), through the real CLI
 * process, on a PGlite folder and a PostgreSQL server: compose then evaluate, evaluate then
 * compose, both twice, a store that refuses the write (a warning; verdict and exit code as
 * without a store), and a store of the previous schema version upgraded by evaluate, which the
 * previous version then refuses. One store per backend for the file, filled in order.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { migrateStore } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { recordPipeline } from '../../src/store/pipeline-records.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { runRealCli, type CliResult } from '../attacks/real-cli.js';
import { BACKENDS, backendSkip, cliStoreFlags } from './store-backends.js';
import { CENTRAL, copyExamples, editFile } from './sync-fixture.js';

const TIMEOUT = 240_000;
/** The schema the release before approval verdicts knew: migrations 1 and 2. */
const PREVIOUS = MIGRATIONS.filter((migration) => migration.version < 3);

interface Verdict {
  pipelineId: number;
  mergeRequestIid: number | null;
  targetBranch: string;
  result: string;
  exitCode: number;
  enforcement: string;
  evaluatedAt: string;
  policies: { name: string; digest: string | null; version: number | null; applied: boolean; violated: boolean; approvalsRequired: number; findings: number }[];
}

interface View {
  lastPipeline: { pipelineId: number; result: string; policies: { policyId: string; applied: boolean }[]; approval: Verdict | null } | null;
  lastApproval: Verdict | null;
}

/** A raw client on the store the flags name, for row counts and for breaking it; closed by the caller. */
async function rawClient(flags: readonly string[]): Promise<SqlClient> {
  if (flags[0] === '--store') return (await import('../../src/store/pglite-client.js')).openPgliteClient(flags[1]);
  return (await import('../../src/store/postgres-client.js')).openPostgresClient({ url: flags[1] as string, maxConnections: 1 });
}

async function withRaw<T>(flags: readonly string[], work: (client: SqlClient) => Promise<T>): Promise<T> {
  const client = await rawClient(flags);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

const withoutTimes = (verdict: Verdict | null | undefined) => (verdict === null || verdict === undefined ? verdict : { ...verdict, evaluatedAt: 'T' });

for (const name of BACKENDS) {
  const skip = backendSkip(name);
  describe.skipIf(skip !== undefined)(`evaluate records its approval verdict on ${name}${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
    let dir: string;
    let storeFlags: string[];
    const cli = (...argv: string[]): Promise<CliResult> => runRealCli([...argv, ...storeFlags], { cwd: dir });
    const compose = (pipelineId: number) => cli('compose', '--workspace', dir, '--project', 'acme/web', '--policy-project', 'security/policies', '--pipeline-id', String(pipelineId), '--out', `${dir}/composed-${pipelineId}.yml`);
    const evaluateFlags = (target: string) => ['evaluate', '--workspace', dir, '--project', 'acme/web', '--policy-project', 'security/policies', '--mr-target', 'main', '--reports', `${dir}/reports/mr`, '--target-reports', `${dir}/reports/${target}`];
    // The merge request brings a critical SQL injection and a GPL licence against main: both policies violated, exit 1.
    const evaluate = (pipelineId: number, target = 'main') => cli(...evaluateFlags(target), '--pipeline-id', String(pipelineId));
    const show = async (): Promise<View> => JSON.parse((await cli('projects', 'show', 'acme/web', '--format', 'json')).stdout) as View;
    const rowsOf = (pipelineId: number) =>
      withRaw(storeFlags, async (client) => {
        const [counts] = await client.query<{ records: string; composed: string; verdicts: string; evaluated: string }>(
          `SELECT (SELECT COUNT(*) FROM pipeline_record WHERE pipeline_id = $1) AS records,
                  (SELECT COUNT(*) FROM pipeline_policy_version v JOIN pipeline_record r ON r.id = v.pipeline_record_id WHERE r.pipeline_id = $1) AS composed,
                  (SELECT COUNT(*) FROM pipeline_approval WHERE pipeline_id = $1) AS verdicts,
                  (SELECT COUNT(*) FROM pipeline_approval_policy p JOIN pipeline_approval a ON a.id = p.pipeline_approval_id WHERE a.pipeline_id = $1) AS evaluated`,
          [pipelineId],
        );
        return { records: Number(counts?.records), composed: Number(counts?.composed), verdicts: Number(counts?.verdicts), evaluated: Number(counts?.evaluated) };
      });

    beforeAll(async () => {
      dir = await copyExamples();
      await editFile(dir, 'workspace.yml', (text) => text.replace('  acme/web:\n', `  acme/web:\n    ci_config_path: ${CENTRAL}\n`));
      storeFlags = await cliStoreFlags(name, 'approval-verdicts-');
      const synced = await cli('sync', '--workspace', dir, '--policy-project', 'security/policies', '--central-config', CENTRAL);
      if (synced.code !== 0) throw new Error(synced.stderr);
    }, TIMEOUT);

    it('compose then evaluate: one pipeline carries both records, each policy by the version the store synced', async () => {
      expect((await compose(601)).code).toBe(0);
      const evaluated = await evaluate(601);
      expect(evaluated.code).toBe(1);
      expect(evaluated.stderr).toBe('');
      expect(evaluated.stdout).toContain('verdict: BLOCKED: approval required by policy\napproval verdict of pipeline 601 recorded in the policy store\n');
      const view = await show();
      expect(view.lastPipeline).toMatchObject({ pipelineId: 601, result: 'composed' });
      expect(view.lastPipeline?.policies.filter((policy) => policy.applied)).toHaveLength(4);
      expect(withoutTimes(view.lastPipeline?.approval)).toEqual({
        pipelineId: 601,
        mergeRequestIid: null,
        targetBranch: 'main',
        result: 'violated',
        exitCode: 1,
        enforcement: 'none',
        evaluatedAt: 'T',
        policies: [
          expect.objectContaining({ name: 'Block critical and high findings', version: 1, applied: true, violated: true, approvalsRequired: 1, findings: 1 }),
          expect.objectContaining({ name: 'No GPL in new dependencies', version: 1, applied: true, violated: true, approvalsRequired: 1, findings: 0 }),
        ],
      });
      expect(view.lastApproval).toEqual(view.lastPipeline?.approval);
      expect(await rowsOf(601)).toEqual({ records: 1, composed: 5, verdicts: 1, evaluated: 2 });
      const table = await cli('projects', 'show', 'acme/web');
      expect(table.stdout).toMatch(/\n {2}last approval: {2}pipeline 601, into main: violated \(exit 1, gate: exit code\) at \d{4}-\d\d-\d\dT[\d:.]+Z\n/);
      expect(table.stdout).toMatch(/\nBlock critical and high findings +approval_policy +v1 +violated +in scope/);
    }, TIMEOUT);

    it('evaluate then compose: compose rewrites its record and leaves the verdict', async () => {
      expect((await evaluate(602)).code).toBe(1);
      expect(await rowsOf(602)).toEqual({ records: 0, composed: 0, verdicts: 1, evaluated: 2 });
      // No compose record yet: the last pipeline is 601's, the last verdict 602's.
      const before = await show();
      expect(before.lastPipeline?.pipelineId).toBe(601);
      expect(before.lastApproval?.pipelineId).toBe(602);
      expect((await compose(602)).code).toBe(0);
      const after = await show();
      expect(after.lastPipeline).toMatchObject({ pipelineId: 602, result: 'composed' });
      expect(after.lastPipeline?.approval).toEqual(before.lastApproval);
      expect(await rowsOf(602)).toEqual({ records: 1, composed: 5, verdicts: 1, evaluated: 2 });
    }, TIMEOUT);

    it('a retried evaluate or compose rewrites its own rows: one verdict, one record, the same content', async () => {
      const before = await show();
      expect((await evaluate(602)).code).toBe(1);
      expect((await compose(602)).code).toBe(0);
      expect((await evaluate(602)).code).toBe(1);
      const after = await show();
      expect(withoutTimes(after.lastPipeline?.approval)).toEqual(withoutTimes(before.lastPipeline?.approval));
      expect(after.lastPipeline?.policies).toEqual(before.lastPipeline?.policies);
      expect(await rowsOf(602)).toEqual({ records: 1, composed: 5, verdicts: 1, evaluated: 2 });
    }, TIMEOUT);

    it('a passing merge request is recorded as passed, and becomes the last verdict', async () => {
      // The merge request's own reports as the target's: nothing is new, so nothing is violated.
      const passed = await cli(...evaluateFlags('../reports/mr'), '--pipeline-id', '603');
      expect(passed.code).toBe(0);
      const view = await show();
      expect(view.lastApproval).toMatchObject({ pipelineId: 603, result: 'passed', exitCode: 0 });
      expect(view.lastApproval?.policies.map((policy) => policy.violated)).toEqual([false, false]);
    }, TIMEOUT);

    it('a store that refuses the verdict warns; the verdict, its outputs and the exit code are the ones without a store', async () => {
      await withRaw(storeFlags, (client) =>
        client.exec(`
          CREATE FUNCTION refuse_verdict() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'permission denied for table pipeline_approval'; END $$;
          CREATE TRIGGER refuse_verdict BEFORE INSERT OR UPDATE ON pipeline_approval FOR EACH ROW EXECUTE FUNCTION refuse_verdict();`),
      );
      const without = await runRealCli([...evaluateFlags('main'), '--pipeline-id', '604'], { cwd: dir });
      const refused = await evaluate(604);
      expect(refused.code).toBe(without.code);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe(without.stdout);
      expect(refused.stderr).toMatch(/^policy-sidecar: WARNING: approval verdict not recorded in the policy store: .*permission denied for table pipeline_approval/);
      expect(await rowsOf(604)).toEqual({ records: 0, composed: 0, verdicts: 0, evaluated: 0 });
      // Without a pipeline id nothing is recorded either, and the run says why.
      const noId = await cli(...evaluateFlags('main'));
      expect(noId.code).toBe(1);
      expect(noId.stderr).toBe('policy-sidecar: WARNING: no approval verdict recorded in the policy store: no pipeline id (--job, --pipeline-id or CI_PIPELINE_ID)\n');
    }, TIMEOUT);
  });

  describe.skipIf(skip !== undefined)(`a store of the previous schema version on ${name}${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
    it('evaluate applies migration 003 and keeps compose\'s record; the previous version then refuses the store', async () => {
      const dir = await copyExamples();
      const flags = await cliStoreFlags(name, 'approval-upgrade-');
      // The previous release: migrations 1 and 2, and compose's record of pipeline 701 (its recordPipeline is unchanged).
      await withRaw(flags, async (client) => {
        await migrateStore(client, new Date('2026-11-01T10:00:00Z'), PREVIOUS);
        await client.transaction((tx) =>
          recordPipeline(tx, { projectPath: 'acme/web', pipelineId: 701, sha: 'c0ffee', ref: 'feature/cart', source: 'merge_request_event', result: 'composed', policies: [{ policyId: 'p1', digest: 'd1', applied: true, reason: 'in scope' }] }, new Date('2026-11-01T10:01:00Z')),
        );
      });
      const evaluated = await runRealCli(
        ['evaluate', '--workspace', dir, '--project', 'acme/web', '--policy-project', 'security/policies', '--mr-target', 'main', '--reports', `${dir}/reports/mr`, '--target-reports', `${dir}/reports/main`, '--pipeline-id', '701', ...flags],
        { cwd: dir },
      );
      expect(evaluated.stderr).toBe('');
      expect(evaluated.code).toBe(1);
      expect(evaluated.stdout).toContain('approval verdict of pipeline 701 recorded in the policy store\n');
      await withRaw(flags, async (client) => {
        expect((await client.query<{ version: number }>('SELECT version FROM policy_sidecar_migration ORDER BY version')).map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
        const [record] = await client.query<{ sha: string; result: string; verdicts: string; composed: string }>(
          `SELECT r.sha, r.result, (SELECT COUNT(*) FROM pipeline_approval a WHERE a.pipeline_id = r.pipeline_id) AS verdicts,
                  (SELECT COUNT(*) FROM pipeline_policy_version v WHERE v.pipeline_record_id = r.id) AS composed
             FROM pipeline_record r WHERE r.pipeline_id = 701`,
        );
        expect({ ...record, verdicts: Number(record?.verdicts), composed: Number(record?.composed) }).toEqual({ sha: 'c0ffee', result: 'composed', verdicts: 1, composed: 1 });
        // The release before this one, opening the store now: refused, not misread.
        const failure = await migrateStore(client, new Date(), PREVIOUS).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(SourceError);
        expect((failure as SourceError).code).toBe('store-too-new');
        expect((failure as SourceError).message).toBe(`the policy store is at schema version ${MIGRATIONS.length}, newer than this policy-sidecar knows (2)`);
      });
    }, TIMEOUT);
  });
}
