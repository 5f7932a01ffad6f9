/**
 * --job's inputs: the job's environment read as NUL-separated data, the settings environment a
 * job run gets (the tokens and the flags, nothing else of the job), and the comparison of the
 * job's CI_* variables with GitLab's facts for branch, tag and merge request pipelines.
 */
import { describe, expect, it } from 'vitest';
import { checkJobVariables, expectedJobVariables } from '../../src/cli/job-facts-check.js';
import { ioForRun, parseJobEnvironment } from '../../src/cli/job-run.js';
import type { JobFacts } from '../../src/sources/gitlab/job-facts.js';
import { writeJobEnvFile } from '../helpers/ci-job.js';

const io = { stdout: { write: () => undefined }, stderr: { write: () => undefined }, cwd: '/', env: { PATH: '/usr/bin', HTTPS_PROXY: 'http://terminal:1' } };

const BRANCH: JobFacts = { jobId: 1, projectId: 101, projectPath: 'acme/web', pipelineId: 300, pipelineSource: 'push', sha: 'a'.repeat(40), branch: 'main', tag: undefined, mergeRequest: undefined };
const TAG: JobFacts = { ...BRANCH, branch: undefined, tag: 'v1.0.0' };
const MR: JobFacts = { ...BRANCH, pipelineSource: 'merge_request_event', branch: 'feature/a', mergeRequest: { iid: 42, sourceBranch: 'feature/a', targetBranch: 'main' } };

describe('parseJobEnvironment', () => {
  it('splits on NUL only: values keep newlines and = signs; entries without a variable name are dropped', () => {
    expect(parseJobEnvironment('A=1\0MULTI=line one\nline two\0EQ=a=b\0=nameless\0not an entry\0BASH_FUNC_x%%=() { :; }\0')).toEqual({ A: '1', MULTI: 'line one\nline two', EQ: 'a=b' });
  });

  it('keeps UTF-8 values as written (a real U+FFFD included); a value that is not UTF-8 fails closed, naming the variable', () => {
    expect(parseJobEnvironment(Buffer.from('A=caf\u00e9 \ufffd\0', 'utf8'))).toEqual({ A: 'caf\u00e9 \ufffd' });
    expect(() => parseJobEnvironment(Buffer.concat([Buffer.from('OK=1\0RULE_VAR=caf'), Buffer.from([0xe9]), Buffer.from('\0')]))).toThrow(
      expect.objectContaining({ code: 'job-variable-not-utf8', message: "the job's variable RULE_VAR is not valid UTF-8" }),
    );
  });

  it('skips an entry whose name is not UTF-8 or not a variable name, whatever its value', () => {
    expect(parseJobEnvironment(Buffer.concat([Buffer.from([0x41, 0xe9]), Buffer.from('=x\0B=2\0')]))).toEqual({ B: '2' });
  });
});

describe('ioForRun', () => {
  it('--job: the settings environment holds the tokens and the flags, not the job\'s other variables', async () => {
    const file = await writeJobEnvFile({ POLICY_SIDECAR_TOKEN: 't1', CI_JOB_TOKEN: 't2', CI_SERVER_URL: 'http://evil', HTTPS_PROXY: 'http://evil:1', POLICY_SIDECAR_CACHE_DIR: '/x', NODE_EXTRA_CA_CERTS: '/x.pem' });
    const run = await ioForRun({ job: true, jobEnvFile: file, proxy: 'http://proxy:3128' }, io);
    expect(run.env).toEqual({ CI: 'true', POLICY_SIDECAR_TOKEN: 't1', CI_JOB_TOKEN: 't2', HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128', https_proxy: undefined, http_proxy: undefined });
    expect(run.jobVariables?.['CI_SERVER_URL']).toBe('http://evil');
  });

  it('--job without --job-env-file, and --job-env-file without --job, are usage errors', async () => {
    await expect(ioForRun({ job: true }, io)).rejects.toMatchObject({ code: 'missing-option' });
    await expect(ioForRun({ jobEnvFile: '/dev/null' }, io)).rejects.toMatchObject({ code: 'bad-arguments' });
  });

  it('on a terminal the process environment stays, and --ca-file replaces its CA settings', async () => {
    const run = await ioForRun({ caFile: '/etc/ca.pem' }, io);
    expect(run.env).toMatchObject({ PATH: '/usr/bin', HTTPS_PROXY: 'http://terminal:1', NODE_EXTRA_CA_CERTS: '/etc/ca.pem' });
    expect(run.jobVariables).toBeUndefined();
  });
});

describe('checkJobVariables', () => {
  it.each<{ name: string; facts: JobFacts; variables: Record<string, string>; error: string | undefined }>([
    { name: 'a branch pipeline as GitLab set it', facts: BRANCH, variables: { CI_COMMIT_BRANCH: 'main', CI_COMMIT_REF_NAME: 'main', CI_PIPELINE_SOURCE: 'push' }, error: undefined },
    { name: 'absent variables are no disagreement', facts: BRANCH, variables: {}, error: undefined },
    { name: 'an empty CI_PIPELINE_SOURCE is one', facts: BRANCH, variables: { CI_PIPELINE_SOURCE: '' }, error: 'CI_PIPELINE_SOURCE is "" in the job\'s variables, but GitLab says push' },
    { name: 'a tag pipeline with CI_COMMIT_BRANCH', facts: TAG, variables: { CI_COMMIT_BRANCH: 'main' }, error: 'GitLab sets no CI_COMMIT_BRANCH for this pipeline (pipeline 300, push on tag v1.0.0)' },
    { name: 'a merge request pipeline with CI_COMMIT_BRANCH', facts: MR, variables: { CI_COMMIT_BRANCH: 'feature/a' }, error: 'GitLab sets no CI_COMMIT_BRANCH for this pipeline (pipeline 300, merge_request_event on merge request !42)' },
    { name: 'a merge request pipeline as GitLab set it', facts: MR, variables: { CI_MERGE_REQUEST_IID: '42', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature/a', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_COMMIT_REF_NAME: 'feature/a' }, error: undefined },
  ])('$name', ({ facts, variables, error }) => {
    const check = () => checkJobVariables(variables, facts);
    if (error === undefined) expect(check).not.toThrow();
    else expect(check).toThrow(error);
  });

  it('covers the facts that decide which policies and jobs apply', () => {
    expect(Object.keys(expectedJobVariables(BRANCH)).sort()).toEqual(
      ['CI_COMMIT_BRANCH', 'CI_COMMIT_REF_NAME', 'CI_COMMIT_SHA', 'CI_COMMIT_TAG', 'CI_JOB_ID', 'CI_MERGE_REQUEST_IID', 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME', 'CI_PIPELINE_ID', 'CI_PIPELINE_SOURCE', 'CI_PROJECT_ID', 'CI_PROJECT_PATH'],
    );
  });
});
