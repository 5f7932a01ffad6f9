/**
 * Attacks the compose job cannot prevent, caught by verifying the pipeline from GitLab's own
 * records outside the project (issue 13): the real `verify` CLI process, with its own token,
 * against a GitLab stand-in on 127.0.0.1 that serves the example workspace's files and the
 * pipeline's recorded answers (test/verify/recorded-pipelines.ts). Each case states the outcome:
 * not verified (exit 1) with the check that names the attack, or verified.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { serveHandlers, type ServedHandlers } from '../http/serve-handlers.js';
import { recordedAnswerHandlers, type VerifierWrites } from '../http/verify-records.js';
import { composeGoodReport, EXAMPLES } from '../verify/compose-good-report.js';
import { CENTRAL_CONFIG, PIPELINE_ID, PROJECT_ID, SHA, verifyCases, type VerifyCase } from '../verify/recorded-pipelines.js';
import { runRealCli, writeTree } from './real-cli.js';

const TOKEN = 'glpat-verifier-0123456789abcdef';
let cases: Map<string, VerifyCase>;
const servers: ServedHandlers[] = [];

beforeAll(async () => {
  cases = new Map(verifyCases(await composeGoodReport()).map((item) => [item.name, item]));
});
afterAll(async () => {
  for (const server of servers) await server.close();
});

async function verifyProcess(name: string, extra: readonly string[] = []) {
  const verifyCase = cases.get(name);
  if (verifyCase === undefined) throw new Error(`no case ${name}`);
  const writes: VerifierWrites = { statuses: [], notes: [] };
  const served = await serveHandlers((baseUrl) => [
    ...recordedAnswerHandlers(`${baseUrl}/api/v4`, verifyCase.answers, { projectId: PROJECT_ID, projectPath: 'acme/web', mergeRequestsForSha: { [SHA]: [{ iid: 42, source_branch: 'feature/cart', target_branch: 'main', sha: SHA, state: 'opened' }] } }, writes),
    ...gitlabHandlersFor(EXAMPLES, { baseUrl, token: TOKEN }),
  ]);
  servers.push(served);
  const cwd = await writeTree({ 'README.md': 'verifier job' });
  const env = { PATH: process.env['PATH'] ?? '', HOME: tmpdir(), CI_SERVER_URL: served.url, POLICY_SIDECAR_TOKEN: TOKEN, POLICY_SIDECAR_CENTRAL_CONFIG: CENTRAL_CONFIG };
  const run = await runRealCli(['verify', '--project', 'acme/web', '--pipeline', String(PIPELINE_ID), '--policy-project', 'security/policies', '--report', 'verdict.json', ...extra], { cwd, env });
  const verdict = JSON.parse(await readFile(join(cwd, 'verdict.json'), 'utf8').catch(() => 'null')) as { verified: boolean; checks: { name: string; ok: boolean; reason: string }[] } | null;
  expect(run.stderr + run.stdout).not.toContain(TOKEN);
  return { run, verdict, writes, failed: verdict?.checks.filter((item) => !item.ok).map((item) => item.name) ?? [] };
}

describe('verify catches what the compose job cannot prevent', () => {
  it('a good pipeline is verified and --publish sets the commit status success on its SHA', async () => {
    const { run, verdict, writes } = await verifyProcess('good-pipeline', ['--publish']);
    expect(run.code).toBe(0);
    expect(verdict?.verified).toBe(true);
    expect(writes.statuses).toEqual([expect.objectContaining({ state: 'success', name: 'policy-sidecar/verified', pipeline_id: PIPELINE_ID, ref: 'main', sha: SHA })]);
    expect(writes.notes).toEqual([]);
  });

  it('the CI configuration file switched to the project\'s own: not verified, no compose job, one failure note', async () => {
    const { run, failed, writes } = await verifyProcess('config-file-switched', ['--publish']);
    expect(run.code).toBe(1);
    expect(failed).toEqual(expect.arrayContaining(['ci-config-file', 'config-source', 'compose-job']));
    expect(run.stdout).toMatch(/has no policy:compose job: it was not built from the central configuration/);
    expect(writes.statuses).toEqual([expect.objectContaining({ state: 'failed', name: 'policy-sidecar/verified' })]);
    expect(writes.notes).toHaveLength(1);
    expect(writes.notes[0]?.body).toMatch(/not verified/);
  });

  it('the setting switched and back again: caught by the missing compose job', async () => {
    const { run, failed } = await verifyProcess('config-file-switched-back');
    expect(run.code).toBe(1);
    expect(failed).toEqual(expect.arrayContaining(['config-source', 'compose-job']));
    expect(failed).not.toContain('ci-config-file');
  });

  it('a project job started before a pre job ended: not verified (job-order)', async () => {
    const { run, failed } = await verifyProcess('project-job-before-pre-job');
    expect(run.code).toBe(1);
    expect(failed).toEqual(['job-order']);
    expect(run.stdout).toMatch(/started at .*, before policy pre job "audit-record" finished/);
  });

  it.each([
    ['policy-job-renamed', 'required-jobs', /"license-check" is missing from the composed pipeline; "license-check-off" looks like it renamed/],
    ['policy-job-missing', 'required-jobs', /"provenance" is missing from the composed pipeline/],
    ['policy-job-failed', 'required-jobs-succeeded', /"audit-verify" is failed/],
    // A Developer posts a commit status named like the policy job into the composed pipeline (POST .../statuses/:sha, pipeline_id):
    // GitLab's GraphQL lists it among the pipeline's jobs as a GenericCommitStatus; it is not a job that ran.
    ['policy-job-forged-commit-status', 'required-jobs', /"provenance" is missing from the composed pipeline/],
  ])('%s: not verified (%s)', async (name, check, message) => {
    const { run, failed } = await verifyProcess(name);
    expect(run.code).toBe(1);
    expect(failed).toEqual([check]);
    expect(run.stdout).toMatch(message);
  });

  it('the project\'s own configuration with jobs named like the central file\'s and a copied report: not verified (config-source)', async () => {
    const { run, failed } = await verifyProcess('forged-compose-job-own-config');
    expect(run.code).toBe(1);
    expect(failed).toEqual(['config-source']);
    expect(run.stdout).toMatch(/was created from a REPOSITORY_SOURCE configuration, not the central file's EXTERNAL_PROJECT_SOURCE/);
  });

  it('a policy post job started before the last project job ended: not verified (job-order)', async () => {
    const { run, failed } = await verifyProcess('post-job-before-project-job-ended');
    expect(run.code).toBe(1);
    expect(failed).toEqual(['job-order']);
    expect(run.stdout).toMatch(/policy post job "provenance" started at .*, before project job/);
  });

  it('a compose report edited to claim other policy versions: not verified (policy-versions)', async () => {
    const { run, failed } = await verifyProcess('policy-version-changed');
    expect(run.code).toBe(1);
    expect(failed).toEqual(['policy-versions']);
  });
});

describe('verify exit codes', () => {
  it('2 on bad input: no --pipeline', async () => {
    const cwd = await writeTree({ 'README.md': '' });
    const run = await runRealCli(['verify', '--project', 'acme/web', '--central-config', CENTRAL_CONFIG], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--pipeline is required/);
  });

  it('3 when GitLab is unreachable', async () => {
    const cwd = await writeTree({ 'README.md': '' });
    const env = { PATH: process.env['PATH'] ?? '', HOME: tmpdir(), CI_SERVER_URL: 'http://127.0.0.1:9', POLICY_SIDECAR_TOKEN: TOKEN };
    const run = await runRealCli(['verify', '--project', 'acme/web', '--pipeline', '5000', '--central-config', CENTRAL_CONFIG, '--http-retries', '0', '--http-timeout', '2'], { cwd, env });
    expect(run.code).toBe(3);
    expect(run.stderr).not.toContain(TOKEN);
  });
});
