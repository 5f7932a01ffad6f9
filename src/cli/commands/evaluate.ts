/**
 * `evaluate` (SPEC §4, docs/merge-gating.md): approval policies against the merge request
 * pipeline's security reports and the target branch's. The edge reads report files and policies
 * (workspace folders, or the GitLab API), the pure gate decides (gating/approvals), then the
 * outputs: summary on standard output, --report JSON, --junit, and in API mode the merge request
 * approval rules and the one bot comment. Exit 1 when a violated policy requires approval and
 * nothing in GitLab enforces it (offline always; API mode when approval rules are unavailable).
 * With a store (evaluate-store.ts): a default-branch pipeline records its findings, a merge
 * request reads their states.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Dispatcher } from 'undici';
import { SourceError, UsageError } from '../../errors.js';
import { emitApprovalJunit } from '../../gating/approvals/approval-junit.js';
import { emitApprovalReportJson } from '../../gating/approvals/approval-report.js';
import { emitApprovalSummary, type Enforcement } from '../../gating/approvals/approval-summary.js';
import { BOT_COMMENT_MARKER, renderBotComment, renderResolvedComment } from '../../gating/approvals/bot-comment.js';
import { evaluateApprovalPolicies, needsLicenseNames, type ApprovalEvaluation, type ApprovalInput } from '../../gating/approvals/evaluate-approval-policies.js';
import { loadSpdxLicenseNames } from '../../gating/approvals/spdx-license-names.js';
import { approvalPoliciesOf, mapApprovalPolicy } from '../../gating/approvals/map-approval-policy.js';
import type { ReportSet } from '../../gating/findings-model.js';
import { createIdentityHashes, readReports, type ReportFile } from '../../gating/reports/index.js';
import { loadPolicyFilesByPath } from '../../policies/load-policies.js';
import { findNoPolicies } from '../../policies/no-policies.js';
import type { PolicyFile } from '../../policies/types.js';
import type { MergeRequestGate, WantedApprovalRule } from '../../sources/gitlab/merge-request-gate.js';
import type { ProjectMetadata, Source } from '../../sources/source.js';
import { openWorkspace } from '../../sources/workspace/workspace-source.js';
import { EXIT } from '../exit-codes.js';
import { applyNoPoliciesRule, writeWarning } from '../no-policies-rule.js';
import { checkStandardOutput, writeOutputFile } from '../output-file.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { requireOption, wholeNumber } from '../option-values.js';
import type { JobFacts } from '../../sources/gitlab/job-facts.js';
import { loadKnownFindings, openStoreForEvaluate, recordBranchPipeline, requireStoreForBranch, type BranchPipeline } from '../evaluate-store.js';
import { storeLocationFromFlags } from '../store-location.js';
import type { PolicyStore } from '../../store/open-store.js';

type EvaluateOptions = CommandOptions<'evaluate'>;

/** What the process provides; tests pass msw's dispatcher and a fixed clock. */
export interface EvaluateControl {
  readonly dispatcher?: Dispatcher;
  readonly now?: () => Date;
}

interface EvaluateContext {
  readonly source: Source;
  readonly metadata: ProjectMetadata;
  readonly policyFiles: readonly PolicyFile[];
  readonly targetBranch: string;
  readonly reports: ReportSet;
  readonly targetReports: ReportSet | undefined;
  readonly mergeRequest: ApprovalInput['mergeRequest'];
  /** API mode with a merge request: where approval rules and the comment go. */
  readonly gate: { readonly api: MergeRequestGate; readonly iid: number } | undefined;
  /** With --job: GitLab's id of the job's pipeline, under which a store records the verdict. */
  readonly pipelineId?: number | undefined;
}

/** Largest report file read (security reports of big projects reach tens of MB). */
const MAX_REPORT_BYTES = 200 * 1024 * 1024;

/** A branch pipeline (--branch, or --job in a pipeline that is not a merge request's): findings are recorded, nothing is judged. */
interface BranchContext {
  readonly branch: BranchPipeline;
}

export async function runEvaluate(options: EvaluateOptions, io: CliIo, control: EvaluateControl = {}): Promise<number> {
  checkStandardOutput({ report: options.report, junit: options.junit }, 'the summary');
  if (options.job && options.workspace !== undefined) throw new UsageError('bad-arguments', '--job reads GitLab; it cannot be combined with --workspace');
  if (options.job && options.pipelineId !== undefined) throw new UsageError('bad-arguments', '--job takes the pipeline from GitLab: --pipeline-id cannot be given');
  if (options.branch !== undefined) {
    if (options.job) throw new UsageError('bad-arguments', '--job takes the pipeline from GitLab: --branch cannot be given');
    if (options.mrTarget !== undefined || options.mrIid !== undefined) {
      throw new UsageError('bad-arguments', '--branch is a branch pipeline, --mr-target and --mr-iid a merge request: give one of them');
    }
    requireStoreForBranch(options, io);
  }
  const store = await openStoreForEvaluate(options, io);
  try {
    const context = options.workspace === undefined ? await openApiContext(options, io, control) : await openWorkspaceContext(options.workspace, options, io);
    if ('branch' in context) {
      if (options.report !== undefined || options.junit !== undefined) io.stdout.write('no merge request: --report and --junit are not written\n');
      return await recordBranchPipeline(context.branch, store, io);
    }
    return await judgeMergeRequest(context, options, io, control, store);
  } finally {
    await store?.close().catch(() => undefined);
  }
}

async function judgeMergeRequest(context: EvaluateContext, options: EvaluateOptions, io: CliIo, control: EvaluateControl, store: PolicyStore | undefined): Promise<number> {
  const { metadata } = context;
  // evaluate's verdict gates merges: with no policy at all it would pass every merge request.
  applyNoPoliciesRule(findNoPolicies(context.policyFiles), { enforced: true, allowed: options.allowNoPolicies }, io);
  // A report under an unexpected name is not read: say so, or a scan's findings vanish unnoticed.
  for (const [which, set] of [['--reports', context.reports], ['--target-reports', context.targetReports]] as const) {
    const skipped = set?.skipped ?? [];
    if (skipped.length > 0) {
      writeWarning(io, { code: 'reports-skipped', message: `${which}: not read, not a security report or SBOM by name or content: ${skipped.join(', ')}` });
    }
  }
  const policies = approvalPoliciesOf(context.policyFiles.flatMap((file) => file.policies));
  // The SPDX licence list is loaded only when a licence rule needs it (a few ms of start-up).
  const licenseNames = needsLicenseNames(policies) ? await loadSpdxLicenseNames() : undefined;
  // The default branch's recorded findings, as GitLab's vulnerability records: read, never written here.
  const knownFindings = store === undefined ? undefined : await loadKnownFindings(store, metadata.path, io);
  const evaluation = evaluateApprovalPolicies({
    policies,
    subject: { projectId: metadata.id, groupIds: metadata.groups, complianceFrameworks: metadata.complianceFrameworks },
    projectPath: metadata.path,
    targetBranch: context.targetBranch,
    protectedBranches: metadata.protectedBranches,
    defaultBranch: metadata.defaultBranch,
    source: context.reports,
    target: context.targetReports,
    mergeRequest: context.mergeRequest,
    now: (control.now ?? (() => new Date()))(),
    ...(licenseNames === undefined ? {} : { licenseNames }),
    ...(knownFindings === undefined ? {} : { knownFindings }),
  });
  const enforcement = context.gate === undefined ? 'none' : await writeToMergeRequest(context.gate, evaluation, io);
  if (options.report !== undefined) await writeOutputFile(io, 'report', options.report, emitApprovalReportJson(evaluation));
  if (options.junit !== undefined) await writeOutputFile(io, 'junit', options.junit, emitApprovalJunit(evaluation, metadata.path));
  io.stdout.write(emitApprovalSummary(evaluation, enforcement));
  // The stable contract (issue #6): 0 when no policy is violated, 1 when one is, whatever enforces
  // it (where approval rules gate the merge, the job may allow exit code 1: docs/merge-gating.md).
  // A violated policy with approvals_required: 0 is optional and does not block the merge in
  // GitLab (reference §7.30), so it does not count here either.
  const exitCode = evaluation.blocking ? EXIT.verdict : EXIT.ok;
  if (store !== undefined) {
    // After every output: a store that fails here only warns (approval-verdicts.ts).
    const { recordApprovalVerdictOrWarn } = await import('../approval-verdicts.js');
    const pipelineId = context.pipelineId === undefined ? (options.pipelineId ?? io.env['CI_PIPELINE_ID']) : String(context.pipelineId);
    await recordApprovalVerdictOrWarn(
      store,
      { projectPath: metadata.path, pipelineId, mergeRequestIid: context.gate?.iid, targetBranch: context.targetBranch, evaluation, enforcement, exitCode, source: context.source, policyFiles: context.policyFiles },
      io,
    );
  }
  return exitCode;
}

async function openWorkspaceContext(workspaceDir: string, options: EvaluateOptions, io: CliIo): Promise<EvaluateContext | BranchContext> {
  const workspace = await openWorkspace(resolve(io.cwd, workspaceDir));
  const project = requireOption(options.project, 'project', 'evaluate');
  const metadata = await workspace.readProject(project);
  if (metadata === undefined) throw new UsageError('unknown-project', `project ${project} is not in workspace ${workspaceDir}`, { hint: `List it in ${join(workspaceDir, 'workspace.yml')}.` });
  const reportsDir = requireOption(options.reports, 'reports', 'evaluate');
  if (options.branch !== undefined) {
    const isDefault = options.branch === metadata.defaultBranch;
    const reports = isDefault ? readReports(await readReportFolder(reportsDir, io), { projectId: metadata.id }) : undefined;
    return { branch: { projectPath: metadata.path, branch: options.branch, defaultBranch: metadata.defaultBranch, reports, pipelineId: options.pipelineId ?? io.env['CI_PIPELINE_ID'] } };
  }
  // The policy project and both report folders are read at once, and their errors reported in
  // this order, as when read one after the other. One identifier-fingerprint cache serves both
  // sides: a rule or CVE is hashed once however many findings name it.
  const policyFiles = settleLater(loadPolicyFilesByPath(workspace, options.policyProject));
  const sourceFiles = settleLater(readReportFolder(reportsDir, io));
  const targetFiles = options.targetReports === undefined ? undefined : settleLater(readReportFolder(options.targetReports, io));
  const read = { projectId: metadata.id, hashes: createIdentityHashes() };
  return {
    source: workspace,
    metadata,
    policyFiles: await policyFiles,
    targetBranch: requireOption(options.mrTarget, 'mr-target', 'evaluate'),
    reports: readReports(await sourceFiles, read),
    targetReports: targetFiles === undefined ? undefined : readReports(await targetFiles, read),
    mergeRequest: undefined,
    gate: undefined,
  };
}

async function openApiContext(options: EvaluateOptions, io: CliIo, control: EvaluateControl): Promise<EvaluateContext | BranchContext> {
  // Loaded here, not with this module: a workspace run needs none of it, and --job's checks
  // (gitlab-origin.ts) alone reach a hundred modules of compose.
  const [{ connectToGitlab, policyProjectsOf }, { learnJobFacts }, { jobProject, requireCheckoutOfJobProject }, { createGitlabSource }, { createMergeRequestGate }, { readTrustedPipelineReports }] =
    await Promise.all([
      import('../gitlab-connection.js'),
      import('../job-facts-check.js'),
      import('../gitlab-origin.js'),
      import('../../sources/gitlab/gitlab-source.js'),
      import('../../sources/gitlab/merge-request-gate.js'),
      import('../read-pipeline-reports.js'),
    ]);
  const env = io.env;
  const connection = connectToGitlab(options, env, control.dispatcher);
  const { serverUrl, client } = connection;
  // With --job: project, merge request and pipeline as GitLab recorded them, never CI_* variables.
  const jobFacts = options.job ? await learnJobFacts(connection, io, 'evaluate') : undefined;
  // evaluate reads no file of the checkout, so only its origin is checked (a foreign CI_JOB_TOKEN).
  if (jobFacts !== undefined) await requireCheckoutOfJobProject(io.cwd, jobFacts, serverUrl);
  // A branch pipeline as GitLab says (not a merge request's, not a tag's), with a store: record its findings.
  const jobBranch = jobFacts?.mergeRequest === undefined && storeLocationFromFlags(options, io) !== undefined ? jobFacts?.branch : undefined;
  if (jobBranch !== undefined && (options.mrIid !== undefined || options.mrTarget !== undefined)) {
    throw new UsageError('bad-arguments', `--job: GitLab says pipeline ${jobFacts?.pipelineId ?? ''} is a pipeline of branch ${jobBranch}, not a merge request's: --mr-iid and --mr-target cannot be given`);
  }
  const job = jobFacts === undefined || jobBranch !== undefined ? undefined : jobMergeRequest(jobFacts, options, jobProject);
  const project = job?.project ?? (jobFacts === undefined ? undefined : jobProject(jobFacts, options.project)) ?? requireOption(options.project, 'project', 'evaluate');
  const gitlab = createGitlabSource({ client });
  const metadata = await gitlab.readProject(project);
  if (metadata === undefined) throw new SourceError('project-not-found', `project ${project} was not found on ${serverUrl}`, { hint: 'Check the project path and that the token can read it (scope read_api).' });
  const api = createMergeRequestGate(client, metadata.id);
  const branch = jobBranch ?? options.branch;
  if (branch !== undefined) {
    // Only the default branch records, so only its reports are read.
    let reports: ReportSet | undefined;
    // The findings' pipeline orders the record (evaluate-store.ts): GitLab's where GitLab says it, never a variable then.
    let pipelineId = jobFacts === undefined ? (options.pipelineId ?? env['CI_PIPELINE_ID']) : String(jobFacts.pipelineId);
    if (branch !== metadata.defaultBranch) reports = undefined;
    else if (options.reports !== undefined) reports = readReports(await readReportFolder(options.reports, io), { projectId: metadata.id });
    else {
      const readFrom = jobFacts?.pipelineId ?? (await api.latestSuccessfulPipeline(branch));
      if (jobFacts === undefined && readFrom !== undefined) {
        if (options.pipelineId !== undefined && options.pipelineId !== String(readFrom)) {
          throw new UsageError('bad-arguments', `--pipeline-id ${options.pipelineId}: the findings are read from pipeline ${readFrom}, the latest successful one of ${branch}`, {
            hint: 'Leave --pipeline-id out (the pipeline read is the one recorded), or pass --reports with the reports of that pipeline.',
          });
        }
        pipelineId = String(readFrom);
      }
      const read = readFrom === undefined ? undefined : await readTrustedPipelineReports(api, readFrom, metadata.id, 'default branch');
      for (const note of read?.notes ?? []) io.stdout.write(`${note}\n`);
      reports = read?.reports;
    }
    return { branch: { projectPath: metadata.path, branch, defaultBranch: metadata.defaultBranch, reports, pipelineId } };
  }
  const iid = job?.iid ?? (options.mrIid === undefined ? undefined : wholeNumber(options.mrIid, 'mr-iid', 1));
  // The merge request itself is read only when nothing else tells.
  let facts: ReturnType<MergeRequestGate['mergeRequest']> | undefined;
  const mergeRequestFacts = () => (iid === undefined ? undefined : (facts ??= api.mergeRequest(iid)));
  const targetBranch = job?.targetBranch ?? options.mrTarget ?? (await mergeRequestFacts())?.targetBranch;
  if (targetBranch === undefined) throw new UsageError('missing-option', '--mr-target is required outside a merge request pipeline', { hint: 'Pass --mr-target BRANCH or --mr-iid N.' });
  const policyProjects = await policyProjectsOf(options.policyProject, env, () => gitlab.policyProjectsOf(project));
  const hashes = createIdentityHashes();
  const read = async (files: ReportFile[]): Promise<ReportSet> => readReports(files, { projectId: metadata.id, hashes });
  // In the templates' policy:evaluate job this is the parent pipeline. Its reports come only from
  // the policy and scan jobs its policy:compose report names, in its composed child pipelines
  // (read-pipeline-reports.ts); a --reports folder is trusted as it is.
  let reports: ReportSet;
  if (options.reports !== undefined) reports = await read(await readReportFolder(options.reports, io));
  else {
    const sourcePipeline = job?.pipelineId ?? (await mergeRequestFacts())?.headPipelineId;
    if (sourcePipeline === undefined) throw new UsageError('missing-option', '--reports is required: no pipeline to read reports from (the merge request has no head pipeline)');
    const source = await readTrustedPipelineReports(api, sourcePipeline, metadata.id, 'merge request');
    for (const note of source.notes) io.stdout.write(`${note}\n`);
    // No compose report: nothing is trusted, so every scan a rule needs is missing (fail closed).
    reports = source.reports ?? readReports([], { projectId: metadata.id });
  }
  let targetReports: ReportSet | undefined;
  if (options.targetReports !== undefined) targetReports = await read(await readReportFolder(options.targetReports, io));
  else {
    const targetPipeline = await api.latestSuccessfulPipeline(targetBranch);
    if (targetPipeline !== undefined) {
      const target = await readTrustedPipelineReports(api, targetPipeline, metadata.id, 'target branch');
      for (const note of target.notes) io.stdout.write(`${note}\n`);
      // Untrusted target reports could make a new finding look pre-existing: none rather than those.
      targetReports = target.reports;
    }
  }
  const policyFiles = await loadPolicyFilesByPath(gitlab, policyProjects);
  // Commit signatures cost a request per commit: read only for a `commits: unsigned` rule.
  const needsCommits = approvalPoliciesOf(policyFiles.flatMap((file) => file.policies)).some((loaded) =>
    mapApprovalPolicy(loaded.policy).rules.some((rule) => rule.type === 'any_merge_request' && rule.commits === 'unsigned'),
  );
  const mergeRequest = iid !== undefined && needsCommits ? { commits: await api.commits(iid) } : undefined;
  return { source: gitlab, metadata, policyFiles, targetBranch, reports, targetReports, mergeRequest, gate: iid === undefined ? undefined : { api, iid }, pipelineId: job?.pipelineId };
}

interface JobMergeRequest {
  readonly project: string;
  readonly iid: number;
  readonly targetBranch: string;
  readonly pipelineId: number;
}

/** evaluate --job judges the merge request of the job's own pipeline; flags that would name another are refused. */
function jobMergeRequest(facts: JobFacts, options: EvaluateOptions, jobProject: (facts: JobFacts, given: string | undefined) => string): JobMergeRequest {
  const given = (['mrIid', 'mrTarget'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 0) throw new UsageError('bad-arguments', `--job takes the merge request from GitLab: ${given.map((name) => (name === 'mrIid' ? '--mr-iid' : '--mr-target')).join(', ')} cannot be given`);
  if (facts.mergeRequest === undefined) {
    throw new UsageError('not-merge-request', `evaluate --job: GitLab says pipeline ${facts.pipelineId} is not a merge request pipeline (source ${facts.pipelineSource})`, {
      hint: 'Run policy:evaluate in merge request pipelines only (the components\' rules do).',
    });
  }
  return { project: jobProject(facts, options.project), iid: facts.mergeRequest.iid, targetBranch: facts.mergeRequest.targetBranch, pipelineId: facts.pipelineId };
}

/** Approval rules, then the comment; what was changed is printed for the job log. */
async function writeToMergeRequest(gate: NonNullable<EvaluateContext['gate']>, evaluation: ApprovalEvaluation, io: CliIo): Promise<Enforcement> {
  const wanted: WantedApprovalRule[] = evaluation.policies.flatMap((policy) =>
    policy.approvalRules.map((rule) => ({
      name: rule.name,
      approvalsRequired: policy.applied && rule.required ? rule.approvalsRequired : undefined,
      approvers: {
        userIds: rule.approvers.userApproverIds,
        usernames: rule.approvers.userApprovers,
        groupIds: rule.approvers.groupApproverIds,
        groupPaths: rule.approvers.groupApprovers,
        roles: rule.approvers.roleApprovers,
      },
    })),
  );
  const rules = await gate.api.syncApprovalRules(gate.iid, wanted);
  for (const change of rules.changes) io.stdout.write(`merge request !${gate.iid}: ${change}\n`);
  if (!rules.available) io.stdout.write(`merge request !${gate.iid}: approvals cannot be required here (merge request approval rules need GitLab Premium and per-MR rule editing): the job's exit code is the gate\n`);
  const comment = await gate.api.syncComment(gate.iid, BOT_COMMENT_MARKER, renderBotComment(evaluation), renderResolvedComment());
  if (comment !== 'none' && comment !== 'unchanged') io.stdout.write(`merge request !${gate.iid}: bot comment ${comment}\n`);
  return rules.available ? 'approval-rules' : 'unavailable';
}

/** The promise, marked handled: awaited later, its rejection is not an unhandled one while others are awaited first. */
function settleLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Every file under `dir` (recursively), named relative to it, for readReports. */
async function readReportFolder(dir: string, io: CliIo): Promise<ReportFile[]> {
  const root = resolve(io.cwd, dir);
  const info = await stat(root).catch(() => undefined);
  if (info?.isDirectory() !== true) throw new UsageError('reports-missing', `report folder ${dir} does not exist or is not a folder`, { hint: 'Pass the folder the scan jobs wrote their gl-*.json reports to.' });
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  // Hidden files (.keep, .DS_Store) hold no report: not read, and not worth a warning.
  const files = entries.filter((entry) => entry.isFile() && !entry.name.startsWith('.')).map((entry) => join(entry.parentPath, entry.name)).sort();
  return Promise.all(
    files.map(async (path) => {
      const name = relative(root, path).split(sep).join('/');
      if ((await stat(path)).size > MAX_REPORT_BYTES) throw new UsageError('report-too-large', `${join(dir, name)} is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MB`);
      // One decode of the whole file: readFile(path, 'utf8') decodes chunk by chunk, several times slower on big reports.
      return { name, text: (await readFile(path)).toString('utf8') };
    }),
  );
}

