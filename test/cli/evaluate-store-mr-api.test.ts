/**
 * `evaluate --job --store` in a merge request pipeline, GitLab on msw's wire: the approval verdict
 * is recorded under the pipeline and merge request GitLab's GET /job names, with how it was
 * enforced (approval rules here: Premium); a CI_PIPELINE_ID the project set to another pipeline
 * fails the run before anything is recorded, and --pipeline-id is refused with --job.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEvaluate } from '../../src/cli/commands/evaluate.js';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import { approvalVerdictOf } from '../../src/store/approval-records.js';
import { openStore } from '../../src/store/open-store.js';
import { openPgliteClient } from '../../src/store/pglite-client.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { DEFAULT_TOKEN } from '../http/gitlab-instance.js';
import { membersHandler, mergeRequestGateHandlers, mergeRequestHandler, newMergeRequestState } from '../http/gitlab-merge-request-gate.js';
import { useGitlab } from '../http/gitlab-server.js';

const API = 'http://gitlab.test/api/v4';
const PROJECT_ID = 101; // acme/web in examples/workspace/workspace.yml
const IID = 7;
const gitlab = useGitlab(gitlabHandlersFor('examples/workspace', { only: ['project', 'raw-file', 'protected-branches', 'group', 'group-protected-branches', 'graphql'] }));

let storeDir: string;
beforeAll(async () => {
  storeDir = join(await mkdtemp(join(tmpdir(), 'evaluate-store-mr-api-')), 'store');
  // Created (and migrated) once here: creating a PGlite folder takes 10-30 s on a busy machine.
  await (await openStore({ kind: 'pglite', dir: storeDir })).close();
}, 180_000);

/** policy:evaluate of merge request !7 in pipeline 300, as GitLab's GET /job says; the job's variables as given. */
const job = { token: 'glcbt-64_evaluate-job', id: 3009, project: 'acme/web', pipelineId: 300, source: 'merge_request_event', ref: `refs/merge-requests/${IID}/head`, sha: 'a'.repeat(40) };

async function evaluateInJob(variables: Record<string, string>, extra: readonly string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  const parsed = parseCommandLine([
    'evaluate', '--job', '--job-env-file', 'unused', '--gitlab-url', 'http://gitlab.test', '--policy-project', 'security/policies',
    '--reports', join(process.cwd(), 'examples/workspace/reports/mr'), '--target-reports', join(process.cwd(), 'examples/workspace/reports/main'), '--store', storeDir, ...extra,
  ]);
  if (parsed.kind !== 'run' || parsed.command !== 'evaluate') throw new Error('not an evaluate command line');
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: { write: (text: string) => void (stderr += text) },
    // As run.ts leaves it with --job: the tokens only; the job's variables are data.
    env: { POLICY_SIDECAR_TOKEN: DEFAULT_TOKEN, CI_JOB_TOKEN: job.token },
    cwd: tmpdir(),
    jobVariables: { CI_JOB_TOKEN: job.token, CI_PROJECT_PATH: 'acme/web', ...variables },
  };
  const code = await runEvaluate(parsed.options, io, { dispatcher: gitlab.dispatcher, now: () => new Date('2025-06-01T00:00:00Z') });
  return { code, stdout, stderr };
}

describe('evaluate --job --store in a merge request pipeline', () => {
  it("records the verdict under GitLab's pipeline and merge request, with how it was enforced", async () => {
    const state = newMergeRequestState();
    const wanted = ['GET approval_rules', 'POST approval_rules', 'GET notes', 'POST notes'];
    gitlab.use(
      ...mergeRequestGateHandlers({ apiUrl: API, projectId: PROJECT_ID, iid: IID, targetBranch: 'main', premium: true, state }).filter((handler) =>
        wanted.some((call) => {
          const [method = '', resource = ''] = call.split(' ');
          return handler.info.header.startsWith(`${method} `) && handler.info.header.includes(`/merge_requests/${IID}/${resource}`);
        }),
      ),
      membersHandler(API, PROJECT_ID, [{ id: 5, access_level: 40 }]),
      ...gitlabHandlersFor('examples/workspace', { only: ['job'], job }),
      mergeRequestHandler({ apiUrl: API, projectId: PROJECT_ID, iid: IID, targetBranch: 'main' }, 300),
    );
    const run = await evaluateInJob({ CI_PIPELINE_ID: '300', CI_MERGE_REQUEST_IID: String(IID) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('approval verdict of pipeline 300 recorded in the policy store\n');
    const client = await openPgliteClient(storeDir);
    try {
      expect(await approvalVerdictOf(client, 'acme/web', 300)).toMatchObject({
        pipelineId: 300,
        mergeRequestIid: IID,
        targetBranch: 'main',
        result: 'violated',
        exitCode: 1,
        enforcement: 'approval-rules',
        policies: [
          { name: 'Block critical and high findings', violated: true, approvalsRequired: 1, version: null },
          { name: 'No GPL in new dependencies', violated: true, approvalsRequired: 1, version: null },
        ],
      });
    } finally {
      await client.close();
    }
  }, 180_000);

  it('a CI_PIPELINE_ID naming another pipeline fails closed before anything is recorded', async () => {
    gitlab.use(...gitlabHandlersFor('examples/workspace', { only: ['job'], job }), mergeRequestHandler({ apiUrl: API, projectId: PROJECT_ID, iid: IID, targetBranch: 'main' }, 300));
    await expect(evaluateInJob({ CI_PIPELINE_ID: '999' })).rejects.toMatchObject({ code: 'job-variable-mismatch' });
    const client = await openPgliteClient(storeDir);
    try {
      expect(await approvalVerdictOf(client, 'acme/web', 999)).toBeNull();
    } finally {
      await client.close();
    }
  }, 180_000);

  it('--pipeline-id cannot be given with --job', async () => {
    await expect(evaluateInJob({}, ['--pipeline-id', '999'])).rejects.toMatchObject({ code: 'bad-arguments' });
  });
});
