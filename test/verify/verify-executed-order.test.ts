/**
 * Job order judged from a real run (issue 13): a project composed with a pipeline execution
 * policy that has a pre and a post job, both child pipelines run by gitlab-ci-local 4.72 (the
 * two-file layout as the component runs it), every job recording when it started and ended; the
 * recorded times become GitLab's `started_at`/`finished_at`, and the verifier judges them. The
 * composed pipeline passes `job-order`; the same jobs without the composition's barriers, where
 * the policy's pre job `needs` a project job (so it certainly runs after it, whatever the
 * machine's speed), fail it.
 */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { composeFromOptions } from '../../src/cli/commands/compose.js';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import type { PipelineReport } from '../../src/emit/report.js';
import type { JobRecord, PipelineRecords } from '../../src/verify/records.js';
import { DEFAULT_VERIFY_SETTINGS } from '../../src/verify/settings.js';
import { verifyPipeline } from '../../src/verify/verify-pipeline.js';
import { writeWorkspace } from '../helpers/temp-workspace.js';
import { runChildPipelines } from '../run/run-child-pipelines.js';
import { runPipeline, timelineLine, type PipelineRun } from '../run/run-pipeline.js';

const SHA = 'ab'.repeat(20);
const settings = { ...DEFAULT_VERIFY_SETTINGS, centralConfigPath: 'pipeline.yml@platform/ci' };

const workspace = {
  'workspace.yml': { projects: { 'app/web': { id: 5, groups: [1], default_branch: 'main' }, 'sec/policies': { id: 900 } } },
  'app/web/.gitlab-ci.yml': { build: { stage: 'build', script: ['echo build'] }, eager: { stage: 'test', needs: [], script: ['echo eager'] } },
  'sec/policies/.gitlab/security-policies/policy.yml': {
    pipeline_execution_policy: [{ name: 'Platform checks', enabled: true, pipeline_config_strategy: 'inject_policy', content: { include: [{ project: 'sec/policies', file: 'policy-ci.yml' }] } }],
  },
  'sec/policies/policy-ci.yml': {
    'pre-check': { stage: '.pipeline-policy-pre', script: ['echo pre'] },
    'post-audit': { stage: '.pipeline-policy-post', script: ['echo post'] },
  },
};

async function compose(): Promise<{ pre: string; main: string; report: PipelineReport }> {
  const root = await writeWorkspace(workspace);
  const parsed = parseCommandLine(['compose', '--workspace', root, '--project', 'app/web', '--policy-project', 'sec/policies', '--branch', 'main', '--source', 'push', '--pre-out', 'pre.yml']);
  if (parsed.kind !== 'run' || parsed.command !== 'compose') throw new Error('compose arguments');
  const io = { stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: {}, cwd: root };
  const { yaml, preYaml, report } = await composeFromOptions(parsed.options, io);
  if (preYaml === undefined) throw new Error('no pre pipeline');
  return { pre: preYaml, main: yaml, report };
}

/** Every job records its start and end (the runner's own timestamps, as GitLab keeps them). */
function timed(yaml: string, edit: (jobs: Record<string, Record<string, unknown>>) => void = () => undefined): string {
  const document = parse(yaml) as Record<string, Record<string, unknown>>;
  for (const [name, job] of Object.entries(document)) {
    if (name === 'stages' || name === 'variables' || name === 'workflow' || typeof job !== 'object' || job === null || !Array.isArray(job['script'])) continue;
    job['script'] = [timelineLine('start'), ...(job['script'] as string[]), timelineLine('end')];
  }
  edit(document);
  return stringify(document);
}

function jobRecords(run: PipelineRun): JobRecord[] {
  const at = (job: string, event: string): string | null => {
    const found = run.timeline.find((item) => item.job === job && item.event === event);
    return found === undefined ? null : new Date(Number(found.at / 1_000_000n)).toISOString();
  };
  return [...run.jobs.values()].map((job, index) => ({ id: 100 + index, name: job.name, stage: 'test', status: job.status === 'allowed-failure' ? 'failed' : job.status, allowFailure: false, startedAt: at(job.name, 'start'), finishedAt: at(job.name, 'end') }));
}

function records(report: PipelineReport, pre: readonly JobRecord[], main: readonly JobRecord[]): PipelineRecords {
  const downstream = (id: number) => ({ id, projectId: 5, sha: SHA, status: 'success' });
  return {
    project: { id: 5, path: 'app/web', defaultBranch: 'main', ciConfigPath: settings.centralConfigPath },
    pipeline: { id: 1, iid: 1, projectId: 5, sha: SHA, beforeSha: undefined, ref: 'main', tag: false, source: 'push', status: 'success', userId: 1 },
    commitMessage: 'x',
    configSource: 'EXTERNAL_PROJECT_SOURCE',
    mergeRequest: undefined,
    jobs: [{ id: 1, name: 'policy:compose', stage: '.pre', status: 'success', allowFailure: false, startedAt: null, finishedAt: null }],
    bridges: [
      { name: 'policy:pre', status: 'success', downstream: downstream(2) },
      { name: 'policy:pipeline', status: 'success', downstream: downstream(3) },
    ],
    childJobs: { 'policy:pre': pre, 'policy:pipeline': main },
    composeReport: report,
  };
}

describe('job order from a real run under gitlab-ci-local', () => {
  it('the composed pipeline passes job-order: the pre job ended before any project job started, the post job started after the last ended', async () => {
    const { pre, main, report } = await compose();
    const run = await runChildPipelines(timed(pre), timed(main));
    if (run.main === undefined) throw new Error(`the pre pipeline failed:\n${run.pre.log}`);
    const verdict = verifyPipeline(records(report, jobRecords(run.pre), jobRecords(run.main)), { kind: 'report', report }, settings);
    expect(verdict.checks.find((item) => item.name === 'job-order')).toMatchObject({ ok: true });
    expect(verdict.verified).toBe(true);
  }, 180_000);

  it('the same jobs in one pipeline without the barriers, the pre job after a project job: job-order fails', async () => {
    const { report } = await compose();
    // Without the composition: the policy's jobs pasted beside the project's, the pre job waiting on one of them.
    const flat = stringify({
      stages: ['build', 'test'],
      build: { stage: 'build', script: ['echo build'] },
      eager: { stage: 'test', needs: [], script: ['echo eager'] },
      'pre-check': { stage: 'test', needs: ['eager'], script: ['echo pre'] },
      'post-audit': { stage: 'test', script: ['echo post'] },
    });
    const run = await runPipeline(timed(flat));
    const all = jobRecords(run);
    const preNames = new Set(report.jobs.filter((job) => job.pipeline === 'pre').map((job) => job.name));
    const verdict = verifyPipeline(records(report, all.filter((job) => preNames.has(job.name)), all.filter((job) => !preNames.has(job.name))), { kind: 'report', report }, settings);
    const order = verdict.checks.find((item) => item.name === 'job-order');
    expect(order).toMatchObject({ ok: false });
    // The first project job to start is named; `eager` started before, whichever that is.
    expect(order?.reason).toMatch(/project job "(eager|build)" started at .*, before policy pre job "pre-check" finished/);
  }, 180_000);
});
