/**
 * `evaluate --job --store` in a pipeline that is not a merge request's, GitLab on msw's wire:
 * whether the pipeline is the default branch's is GitLab's fact (GET /job's ref, the project's
 * default_branch), never a variable; the findings recorded are those of the policy scan jobs of
 * the composed child pipeline (the trusted reports), never a project job's file.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEvaluate } from '../../src/cli/commands/evaluate.js';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import { openStore } from '../../src/store/open-store.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { DEFAULT_TOKEN } from '../http/gitlab-instance.js';
import { fakeComposeReport, latestPipelineHandler, pipelineArtifactHandlers } from '../http/gitlab-merge-request-gate.js';
import { useGitlab } from '../http/gitlab-server.js';

const API = 'http://gitlab.test/api/v4';
const PROJECT_ID = 101; // acme/web in examples/workspace/workspace.yml, default branch main
const gitlab = useGitlab(gitlabHandlersFor('examples/workspace', { only: ['project', 'protected-branches', 'group', 'group-protected-branches', 'graphql'] }));
const MR_SAST = readFileSync('examples/workspace/reports/mr/gl-sast-report.json', 'utf8');
const SCAN_JOBS = ['semgrep-sast-1'];
const EMPTY_SAST = JSON.stringify({ ...(JSON.parse(MR_SAST) as Record<string, unknown>), vulnerabilities: [] });
const composed = fakeComposeReport({ project: ['build'], scanPolicy: SCAN_JOBS }, [{ policy: 'SAST', action: 0, scan: 'sast', jobs: SCAN_JOBS }]);

let storeDir: string;
beforeAll(async () => {
  storeDir = join(await mkdtemp(join(tmpdir(), 'evaluate-store-api-')), 'store');
  // Created (and migrated) once here: creating a PGlite folder takes 10-30 s on a busy machine.
  await (await openStore({ kind: 'pglite', dir: storeDir })).close();
}, 180_000);

/** policy:evaluate in pipeline `pipelineId` of `ref`, as GitLab's GET /job says. */
async function evaluateInJob(pipelineId: number, ref: string, variables: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const job = { token: 'glcbt-64_evaluate-job', id: pipelineId * 10 + 9, project: 'acme/web', pipelineId, source: 'push', ref, sha: 'b'.repeat(40) };
  gitlab.use(...gitlabHandlersFor('examples/workspace', { only: ['job'], job }));
  const parsed = parseCommandLine(['evaluate', '--job', '--job-env-file', 'unused', '--gitlab-url', 'http://gitlab.test', '--policy-project', 'security/policies', '--store', storeDir]);
  if (parsed.kind !== 'run' || parsed.command !== 'evaluate') throw new Error('not an evaluate command line');
  let stdout = '';
  let stderr = '';
  const jobVariables = { CI_JOB_TOKEN: job.token, CI_PIPELINE_ID: String(pipelineId), CI_PROJECT_PATH: 'acme/web', ...variables };
  const io = {
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: { write: (text: string) => void (stderr += text) },
    env: { POLICY_SIDECAR_TOKEN: DEFAULT_TOKEN, CI_JOB_TOKEN: job.token },
    cwd: tmpdir(),
    jobVariables,
  };
  const code = await runEvaluate(parsed.options, io, { dispatcher: gitlab.dispatcher });
  return { code, stdout, stderr };
}

/** Default-branch pipeline `parent` of acme/web, composed, its child `parent + 1` holding the policy scan job's SAST report. */
function composedPipeline(parent: number, sast: string) {
  return [
    ...pipelineArtifactHandlers(API, PROJECT_ID, parent, {}, parent * 10, { composeReport: composed, bridges: [{ name: 'policy:pipeline', downstream: { id: parent + 1, projectId: PROJECT_ID } }] }),
    ...pipelineArtifactHandlers(API, PROJECT_ID, parent + 1, { 'gl-sast-report.json': sast }, (parent + 1) * 10, { child: true, jobNames: SCAN_JOBS, otherJobs: ['build'] }),
  ];
}

/** evaluate --branch in API mode without --job (an operator's run): the pipeline and its reports are read from GitLab. */
async function evaluateBranch(flags: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const parsed = parseCommandLine(['evaluate', '--gitlab-url', 'http://gitlab.test', '--project', 'acme/web', '--branch', 'main', '--store', storeDir, ...flags]);
  if (parsed.kind !== 'run' || parsed.command !== 'evaluate') throw new Error('not an evaluate command line');
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: { write: (text: string) => void (stderr += text) },
    env: { POLICY_SIDECAR_TOKEN: DEFAULT_TOKEN, ...env },
    cwd: tmpdir(),
  };
  const code = await runEvaluate(parsed.options, io, { dispatcher: gitlab.dispatcher });
  return { code, stdout, stderr };
}

async function recorded(): Promise<string[]> {
  const store = await openStore({ kind: 'pglite', dir: storeDir });
  try {
    return (await store.findingsOf('acme/web')).map((finding) => `${finding.name.split(' ')[0] ?? ''} ${finding.state}`);
  } finally {
    await store.close();
  }
}

describe('evaluate --job --store in a branch pipeline', () => {
  it("the default branch's pipeline records the composed scan jobs' findings", async () => {
    const downloads: string[] = [];
    gitlab.use(
      // The parent pipeline (policy:compose) and its composed child; only the policy scan job's report is downloaded.
      ...pipelineArtifactHandlers(API, PROJECT_ID, 400, {}, 4000, { composeReport: composed, bridges: [{ name: 'policy:pipeline', downstream: { id: 401, projectId: PROJECT_ID } }] }),
      ...pipelineArtifactHandlers(API, PROJECT_ID, 401, { 'gl-sast-report.json': MR_SAST }, 4010, { child: true, jobNames: SCAN_JOBS, downloads, otherJobs: ['build'] }),
    );
    const run = await evaluateInJob(400, 'main');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('findings of main (default branch) recorded in the policy store: 2 reported, 2 new, 0 reopened, 0 resolved');
    expect(downloads).toEqual(['401:semgrep-sast-1/gl-sast-report.json']);
    expect(await recorded()).toEqual(expect.arrayContaining(['Improper detected', 'Use detected']));
  }, 180_000);

  it('a pipeline of another branch writes nothing, whatever CI_DEFAULT_BRANCH says', async () => {
    const before = await recorded();
    const run = await evaluateInJob(500, 'feature/x', { CI_DEFAULT_BRANCH: 'feature/x' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('branch feature/x is not the default branch (main): no finding recorded\n');
    expect(await recorded()).toEqual(before);
  }, 180_000);

  it('a variable claiming the pipeline is the default branch\'s fails closed, and writes nothing', async () => {
    const before = await recorded();
    await expect(evaluateInJob(600, 'feature/x', { CI_COMMIT_REF_NAME: 'main', CI_COMMIT_BRANCH: 'main' })).rejects.toMatchObject({ code: 'job-variable-mismatch' });
    expect(await recorded()).toEqual(before);
  }, 180_000);

  it("a late pipeline with a smaller id than GitLab's last recorded one changes nothing; a retried job of pipeline 400 records again", async () => {
    const before = await recorded();
    // Pipeline 398 (an older commit) has no SAST finding left; recorded after 400 it would resolve both.
    gitlab.use(...composedPipeline(398, EMPTY_SAST));
    const late = await evaluateInJob(398, 'main');
    expect(late.stderr).toBe('');
    expect(late.code).toBe(0);
    expect(late.stdout).toContain('findings of pipeline 398 not recorded: pipeline 400 already recorded newer findings\n');
    expect(late.stdout).not.toContain('recorded in the policy store');
    expect(await recorded()).toEqual(before);
    gitlab.use(...composedPipeline(400, MR_SAST));
    const retried = await evaluateInJob(400, 'main');
    expect(retried.stdout).toContain('findings of main (default branch) recorded in the policy store: 2 reported, 0 new, 0 reopened, 0 resolved');
    expect(await recorded()).toEqual(before);
  }, 180_000);
});

describe('evaluate --branch --store in API mode, without --job', () => {
  it("records under the pipeline its reports were read from (the branch's latest successful one), never CI_PIPELINE_ID", async () => {
    const before = await recorded();
    gitlab.use(latestPipelineHandler(API, PROJECT_ID, 'main', 396), ...composedPipeline(396, EMPTY_SAST));
    const run = await evaluateBranch([], { CI_PIPELINE_ID: '9999' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('findings of pipeline 396 not recorded: pipeline 400 already recorded newer findings\n');
    expect(await recorded()).toEqual(before);
  }, 180_000);

  it('--pipeline-id naming another pipeline than the one read is refused', async () => {
    gitlab.use(latestPipelineHandler(API, PROJECT_ID, 'main', 396));
    await expect(evaluateBranch(['--pipeline-id', '9999'])).rejects.toMatchObject({ code: 'bad-arguments', message: expect.stringContaining('--pipeline-id 9999: the findings are read from pipeline 396') });
  }, 180_000);
});
