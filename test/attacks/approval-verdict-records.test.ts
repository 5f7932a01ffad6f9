/**
 * Attacks on the approval verdicts `evaluate` records in the policy store (docs/store.md
 * "Approval verdicts"). Whoever controls a project's pipeline (its variables) must not be able to
 * file a verdict under another pipeline, nor make evaluate write its verdict into a store of its
 * choosing, and a store that refuses the write must not change the verdict:
 * - with --job the pipeline and merge request are GitLab's (`GET /job`); a CI_PIPELINE_ID that
 *   disagrees fails the job before anything is written;
 * - the store comes from evaluate's flags only, never from POLICY_SIDECAR_STORE or
 *   POLICY_SIDECAR_DATABASE_URL, in the job's variables or the process environment.
 * The real CLI process, as the component's job runs it, against a GitLab stand-in on 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalVerdictOf } from '../../src/store/approval-records.js';
import { openStore } from '../../src/store/open-store.js';
import { openPgliteClient } from '../../src/store/pglite-client.js';
import { composeJob, jobVariables, writeCheckout, writeJobEnvFile } from '../helpers/ci-job.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { mergeRequestGateHandlers, newMergeRequestState } from '../http/gitlab-merge-request-gate.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { repoRoot, runRealCli } from './real-cli.js';

const examples = join(repoRoot, 'examples/workspace');
const TOKEN = 'glpat-attack-verdicts-0123456789';
const IID = 42; // acme/web's open merge request feature/cart → main in the example workspace
/** policy:evaluate of merge request !42 in pipeline 300, as GitLab's GET /job says. */
const JOB = composeJob({ id: 3009, source: 'merge_request_event', ref: `refs/merge-requests/${IID}/head` });

let server: ServedHandlers;
let checkout: string;
let store: string;

beforeAll(async () => {
  server = await serveHandlers((baseUrl) => [
    // Free: no approval rules API, so the job's exit code is the gate (enforcement `unavailable`).
    ...mergeRequestGateHandlers({ apiUrl: `${baseUrl}/api/v4`, projectId: 101, iid: IID, targetBranch: 'main', premium: false, state: newMergeRequestState() }),
    ...gitlabHandlersFor(examples, { baseUrl, token: TOKEN, job: JOB }),
  ]);
  checkout = await writeCheckout(join(examples, 'acme/web'));
  store = join(await mkdtemp(join(tmpdir(), 'attack-verdicts-')), 'store');
  // Created (and migrated) once here: creating a PGlite folder takes 10-30 s on a busy machine.
  await (await openStore({ kind: 'pglite', dir: store })).close();
}, 180_000);

afterAll(async () => {
  await server?.close();
});

/** The component's command line for policy:evaluate, with the job's variables (plus `extra`) as its data. */
async function evaluateInJob(extra: Record<string, string>, flags: readonly string[]) {
  const envFile = await writeJobEnvFile(jobVariables(JOB, server.url, { POLICY_SIDECAR_TOKEN: TOKEN, ...extra }));
  const args = ['evaluate', '--job', '--job-env-file', envFile, '--gitlab-url', server.url, '--policy-project', 'security/policies'];
  const reports = ['--reports', join(examples, 'reports/mr'), '--target-reports', join(examples, 'reports/main')];
  return runRealCli([...args, ...reports, ...flags], { cwd: checkout });
}

async function verdictOf(dir: string, pipelineId: number) {
  const client = await openPgliteClient(dir);
  try {
    return await approvalVerdictOf(client, 'acme/web', pipelineId);
  } finally {
    await client.close();
  }
}

describe('attack: filing approval verdicts where they do not belong', () => {
  it("the verdict lands under GitLab's pipeline and merge request", async () => {
    const run = await evaluateInJob({}, ['--store', store]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('approval verdict of pipeline 300 recorded in the policy store\n');
    expect(await verdictOf(store, 300)).toMatchObject({ pipelineId: 300, mergeRequestIid: IID, targetBranch: 'main', result: 'violated', exitCode: 1, enforcement: 'unavailable' });
  }, 180_000);

  it('a CI_PIPELINE_ID naming another pipeline fails the job, and no verdict is filed under it', async () => {
    const run = await evaluateInJob({ CI_PIPELINE_ID: '301' }, ['--store', store]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CI_PIPELINE_ID is "301" in the job\'s variables, but GitLab says 300');
    expect(await verdictOf(store, 301)).toBeNull();
  }, 180_000);

  it("POLICY_SIDECAR_STORE or POLICY_SIDECAR_DATABASE_URL in the job's variables or the environment names no store to write to", async () => {
    const forged = join(await mkdtemp(join(tmpdir(), 'attack-verdicts-forged-')), 'store');
    const unreachable = 'postgres://attacker@127.0.0.1:1/theirs';
    const run = await evaluateInJob({ POLICY_SIDECAR_STORE: forged, POLICY_SIDECAR_DATABASE_URL: unreachable }, []);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('recorded in the policy store');
    const workspace = await runRealCli(
      ['evaluate', '--workspace', examples, '--project', 'acme/web', '--policy-project', 'security/policies', '--mr-target', 'main', '--reports', join(examples, 'reports/mr'), '--target-reports', join(examples, 'reports/main'), '--pipeline-id', '302'],
      { cwd: checkout, env: { POLICY_SIDECAR_STORE: forged, CI_PIPELINE_ID: '302' } },
    );
    expect(workspace.code).toBe(1);
    expect(workspace.stderr).toBe('');
    // Nothing opened the forged folder: it was never created.
    expect(existsSync(forged)).toBe(false);
  }, 180_000);
});
