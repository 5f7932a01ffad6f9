/**
 * Recorded GitLab answers for the verifier's cases (issue 13): one pipeline of acme/web (the
 * example workspace) built by the central configuration, and the ways it goes wrong. Each case is
 * a map from API path (below /projects/:id) to the JSON GitLab answers; write-fixtures.ts writes
 * them as test/fixtures/verify/<case>/ (the workspace form), the msw handlers serve them.
 */

export const PROJECT_ID = 101;
export const PIPELINE_ID = 5000;
export const PIPELINE_IID = 812;
export const PRE_PIPELINE_ID = 5001;
export const MAIN_PIPELINE_ID = 5002;
export const COMPOSE_JOB_ID = 70001;
export const SHA = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
export const CENTRAL_CONFIG = 'pipeline.yml@platform/ci';

export type Answers = Record<string, unknown>;

export interface RecordedJob {
  readonly name: string;
  readonly stage?: string;
  readonly status?: string;
  readonly allow_failure?: boolean;
  /** Minutes after 10:00 on the day of the pipeline. */
  readonly start: number | null;
  readonly end: number | null;
  /** An external commit status (POST /projects/:id/statuses/:sha with pipeline_id), not a job GitLab ran. */
  readonly external?: true;
}

/** The report `policy:compose` wrote (compose --report) for this pipeline: computed once by write-fixtures.ts. */
export interface ComposeReportJob {
  readonly name: string;
  readonly pipeline?: 'pre' | 'main';
  readonly origin: string;
  readonly declaredStage: string;
  readonly stage: string;
}

const at = (minutes: number | null): string | null => (minutes === null ? null : new Date(Date.UTC(2026, 11, 3, 10, minutes)).toISOString());

let nextJobId = 80000;

/** A global id, as GraphQL gives it (`gid://gitlab/Ci::Build/80000`). */
export const gid = (model: string, id: number): string => `gid://gitlab/${model}/${id}`;

const LAST_PAGE = { hasNextPage: false, endCursor: null };

/** Job nodes as GraphQL answers them (app/graphql/types/ci/job_type.rb): statuses upper-cased, the stage an object. */
export function jobNodes(jobs: readonly RecordedJob[]): Record<string, unknown>[] {
  return jobs.map((job) => ({
    id: gid(job.external === true ? 'GenericCommitStatus' : 'Ci::Build', nextJobId++),
    name: job.name,
    status: (job.status ?? 'success').toUpperCase(),
    allowFailure: job.allow_failure ?? false,
    startedAt: at(job.start),
    finishedAt: at(job.end),
    stage: { name: job.stage ?? 'test' },
    downstreamPipeline: null,
  }));
}

export interface GoodPipeline {
  readonly pre: RecordedJob[];
  readonly main: RecordedJob[];
}

/** The child pipelines' jobs in the good case, from the compose report: pre jobs 1-2, project and policy jobs 3-6, post jobs 7-8. */
export function goodPipelineJobs(report: { readonly jobs: readonly ComposeReportJob[] }): GoodPipeline {
  const pre: RecordedJob[] = [];
  const main: RecordedJob[] = [];
  for (const job of report.jobs) {
    if (job.pipeline === 'pre') pre.push({ name: job.name, stage: job.stage, start: 1, end: 2 });
    else if (job.declaredStage === '.pipeline-policy-post') main.push({ name: job.name, stage: job.stage, start: 7, end: 8 });
    else main.push({ name: job.name, stage: job.stage, start: 3, end: 6 });
  }
  return { pre, main };
}

export interface CaseParts {
  readonly report: unknown;
  readonly pre: readonly RecordedJob[];
  readonly main: readonly RecordedJob[];
  readonly ciConfigPath?: string;
  readonly pipelineStatus?: string;
  readonly source?: string;
  /** Parent jobs; default the central file's policy:compose. */
  readonly parentJobs?: readonly RecordedJob[];
  /** false: no bridges (the project's own configuration ran). */
  readonly bridges?: boolean;
  readonly commitMessage?: string;
  /** GraphQL Pipeline.configSource; default EXTERNAL_PROJECT_SOURCE (the central file in platform/ci). */
  readonly configSource?: string | null;
  /** false: GraphQL answers no `Pipeline.commit` (the message is read over REST). */
  readonly graphqlCommit?: false;
}

/** The file of the pipeline's GraphQL answer (sources/workspace/recorded-api.ts). */
export const pipelineAnswerPath = (id: number): string => `graphql/pipeline-${id}.json`;

export function answersFor(parts: CaseParts): Answers {
  nextJobId = 80000;
  const parentJobs = parts.parentJobs ?? [{ name: 'policy:compose', stage: '.pre', start: 0, end: 1 }];
  const parent = jobNodes(parentJobs).map((job, index) => (parentJobs[index]?.name === 'policy:compose' ? { ...job, id: gid('Ci::Build', COMPOSE_JOB_ID) } : job));
  const bridge = (id: number, name: string, childId: number, jobs: readonly RecordedJob[]) => ({
    id: gid('Ci::Bridge', id),
    name,
    status: 'SUCCESS',
    allowFailure: false,
    startedAt: at(1),
    finishedAt: at(8),
    stage: { name: '.pre' },
    downstreamPipeline: { id: gid('Ci::Pipeline', childId), sha: SHA, status: 'SUCCESS', project: { id: gid('Project', PROJECT_ID) }, jobs: { pageInfo: LAST_PAGE, nodes: jobNodes(jobs) } },
  });
  const bridges = parts.bridges === false ? [] : [bridge(70002, 'policy:pre', PRE_PIPELINE_ID, parts.pre), bridge(70003, 'policy:pipeline', MAIN_PIPELINE_ID, parts.main)];
  const pipeline = {
    id: gid('Ci::Pipeline', PIPELINE_ID),
    iid: String(PIPELINE_IID),
    sha: SHA,
    beforeSha: '0000000000000000000000000000000000000000',
    ref: 'main',
    refPath: 'refs/heads/main',
    source: parts.source ?? 'push',
    status: (parts.pipelineStatus ?? 'success').toUpperCase(),
    child: false,
    configSource: parts.configSource === undefined ? 'EXTERNAL_PROJECT_SOURCE' : parts.configSource,
    user: { id: gid('User', 7) },
    // GitLab gives no commit to a token that cannot read code: the verifier then asks REST.
    commit: parts.graphqlCommit === false ? null : { message: parts.commitMessage ?? 'Add the cart page\n' },
    mergeRequest: null,
    // GitLab lists a pipeline's statuses newest first (Ci::Pipeline#statuses_order_id_desc).
    jobs: { pageInfo: LAST_PAGE, nodes: [...[...bridges].reverse(), ...parent.reverse()] },
  };
  const answers: Answers = {
    'project.json': { id: PROJECT_ID, path_with_namespace: 'acme/web', default_branch: 'main', ci_config_path: parts.ciConfigPath ?? CENTRAL_CONFIG },
    [pipelineAnswerPath(PIPELINE_ID)]: { data: { project: { pipeline } } },
    [`repository/commits/${SHA}.json`]: { id: SHA, message: parts.commitMessage ?? 'Add the cart page\n' },
  };
  if (parentJobs.some((job) => job.name === 'policy:compose')) answers[`jobs/${COMPOSE_JOB_ID}/artifacts/policy-report.json`] = parts.report;
  return answers;
}

/** The pipeline node of a case's GraphQL answer, changed by `patch` (e.g. another id or status). */
export function pipelineNode(answers: Answers, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const answer = answers[pipelineAnswerPath(PIPELINE_ID)] as { data: { project: { pipeline: Record<string, unknown> } } };
  return { ...answer.data.project.pipeline, ...patch };
}

export interface VerifyCase {
  readonly name: string;
  readonly answers: Answers;
  /** Exit code of `verify`, and the checks expected to fail. */
  readonly exitCode: number;
  readonly failed: readonly string[];
}

/** Every case, from the compose report of the good pipeline. */
export function verifyCases(report: { readonly jobs: readonly ComposeReportJob[]; readonly policies: readonly { readonly digest?: string }[] }): VerifyCase[] {
  const good = goodPipelineJobs(report);
  const edit = (jobs: readonly RecordedJob[], name: string, change: Partial<RecordedJob> | undefined): RecordedJob[] =>
    jobs.flatMap((job) => (job.name !== name ? [job] : change === undefined ? [] : [{ ...job, ...change }]));
  const firstPre = good.pre[0]?.name ?? 'audit-record';
  const projectJob = report.jobs.find((job) => job.origin === 'project')?.name ?? 'build';
  const olderReport = { ...(report as object), policies: report.policies.map((policy, index) => (index === 0 ? { ...policy, digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000' } : policy)) };
  return [
    { name: 'good-pipeline', answers: answersFor({ report, ...good }), exitCode: 0, failed: [] },
    {
      name: 'config-file-switched',
      answers: answersFor({ report, ...good, ciConfigPath: '', configSource: 'REPOSITORY_SOURCE', bridges: false, parentJobs: [{ name: 'build', start: 0, end: 1 }, { name: 'unit-tests', start: 1, end: 2 }] }),
      exitCode: 1,
      failed: ['ci-config-file', 'config-source', 'compose-job', 'composed-pipeline', 'pre-pipeline', 'required-jobs', 'policy-versions'],
    },
    {
      name: 'config-file-switched-back',
      answers: answersFor({ report, ...good, configSource: 'REPOSITORY_SOURCE', bridges: false, parentJobs: [{ name: 'build', start: 0, end: 1 }] }),
      exitCode: 1,
      failed: ['config-source', 'compose-job', 'composed-pipeline', 'pre-pipeline', 'required-jobs', 'policy-versions'],
    },
    {
      name: 'project-job-before-pre-job',
      answers: answersFor({ report, pre: good.pre, main: edit(good.main, projectJob, { start: 1 }) }),
      exitCode: 1,
      failed: ['job-order'],
    },
    {
      // The project's own configuration with jobs named like the central file's and a copied report, run while the setting pointed at it.
      name: 'forged-compose-job-own-config',
      answers: answersFor({ report, ...good, configSource: 'REPOSITORY_SOURCE' }),
      exitCode: 1,
      failed: ['config-source'],
    },
    {
      name: 'post-job-before-project-job-ended',
      answers: answersFor({ report, pre: good.pre, main: edit(good.main, 'provenance', { start: 5 }) }),
      exitCode: 1,
      failed: ['job-order'],
    },
    { name: 'policy-job-renamed', answers: answersFor({ report, pre: good.pre, main: edit(good.main, 'license-check', { name: 'license-check-off' }) }), exitCode: 1, failed: ['required-jobs'] },
    {
      // Anyone with the Developer role can post a commit status of any name into a pipeline: it is no job.
      name: 'policy-job-forged-commit-status',
      answers: answersFor({ report, pre: good.pre, main: [...edit(good.main, 'provenance', undefined), { name: 'provenance', stage: 'test', start: 7, end: 8, external: true }] }),
      exitCode: 1,
      failed: ['required-jobs'],
    },
    { name: 'policy-job-missing', answers: answersFor({ report, pre: good.pre, main: edit(good.main, 'provenance', undefined) }), exitCode: 1, failed: ['required-jobs'] },
    { name: 'policy-job-failed', answers: answersFor({ report, pre: good.pre, main: edit(good.main, 'audit-verify', { status: 'failed' }) }), exitCode: 1, failed: ['required-jobs-succeeded'] },
    { name: 'pre-job-failed', answers: answersFor({ report, pre: edit(good.pre, firstPre, { status: 'failed' }), main: good.main }), exitCode: 1, failed: ['required-jobs-succeeded'] },
    { name: 'scan-job-failed-allowed', answers: answersFor({ report, pre: good.pre, main: edit(good.main, 'secret-detection-0', { status: 'failed' }) }), exitCode: 0, failed: [] },
    { name: 'policy-version-changed', answers: answersFor({ report: olderReport, ...good }), exitCode: 1, failed: ['policy-versions'] },
    { name: 'pipeline-running', answers: answersFor({ report, ...good, pipelineStatus: 'running' }), exitCode: 1, failed: [] },
    { name: 'source-without-policies', answers: answersFor({ report, ...good, source: 'ondemand_dast_scan', bridges: false, parentJobs: [{ name: 'dast', start: 0, end: 1 }] }), exitCode: 0, failed: [] },
  ];
}
