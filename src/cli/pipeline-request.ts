/**
 * Flags → everything `resolvePipeline` needs: the sources, the pipeline context and the
 * repository facts. This is the edge where files are opened; the core gets plain data.
 */
import type { PipelineContext } from '../ci/context.js';
import { DEFAULT_LIMITS } from '../ci/limits.js';
import { derivePredefinedVariables } from '../ci/predefined-variables.js';
import type { ResolveRequest } from '../ci/resolve-pipeline.js';
import { UsageError } from '../errors.js';
import { DEFAULT_POLICY_LIMITS, type PolicyLimits } from '../compose/index.js';
import type { ProjectMetadata } from '../sources/source.js';
import { createRepositoryFacts } from '../sources/repository-facts.js';
import type { CliIo } from './io.js';
import type { CommandOptions } from './options.js';
import type { ShowFile } from './shown-paths.js';
import { openWorkspaceOrigin } from './workspace-origin.js';
import { readProjectConfig } from './project-config.js';
import { readScanTemplates } from './read-scan-templates.js';
import type { ScanTemplates } from '../compose/sep/index.js';
import type { JobFacts } from '../sources/gitlab/job-facts.js';
import type { Origin } from './origin.js';

export interface PipelineRequest extends Omit<ResolveRequest, 'text'> {
  /** The project's CI configuration, undefined when it has none. */
  readonly text: string | undefined;
  readonly metadata: ProjectMetadata;
  readonly ref: string;
  readonly configPath: string;
  /** Names engine file names for messages. */
  readonly showFile: ShowFile;
  /** Security policy project paths, top-most group first. */
  readonly policyProjects: readonly string[];
  readonly failOpen: boolean;
  readonly policyLimits: PolicyLimits;
  /** Names of the variables given with --var: the user variables policies may filter. */
  readonly userVariableNames: readonly string[];
  /** Scan execution policies' job templates: templates/scans/, replaced file by file by --templates (DIR or project:). */
  readonly scanTemplates: ScanTemplates;
}

/** `given`: an origin the caller opened itself (`verify` reads the project at the pipeline's commit). */
export async function buildPipelineRequest(options: CommandOptions<'compose'> | CommandOptions<'explain'>, io: CliIo, given?: Origin): Promise<PipelineRequest> {
  if (options.tag !== undefined && (options.branch !== undefined || options.mrTarget !== undefined)) {
    throw new UsageError('bad-arguments', '--tag cannot be combined with --branch or --mr-target');
  }
  const userVariables = parseVariables(options.var);
  if (options.job && options.workspace !== undefined) throw new UsageError('bad-arguments', '--job reads GitLab; it cannot be combined with --workspace');
  const origin =
    given ??
    (options.workspace === undefined
      ? // Loaded only for GitLab runs: a workspace compose never needs the API client's modules.
        await (await import('./gitlab-origin.js')).openGitlabOrigin(options, userVariables, io)
      : await openWorkspaceOrigin(
          {
            workspace: options.workspace,
            project: required(options.project, 'project'),
            userVariables,
            policyProjects: options.policyProject,
            allowRemoteHosts: options.allowRemoteHost,
          },
          io,
        ));
  const { metadata, project } = origin;
  // The job's CI_* variables (--job; none elsewhere): data for rules, never the pipeline's facts.
  const env = origin.pipelineVariables;
  // In enforced mode CI_CONFIG_PATH names the central file (`pipeline.yml@platform/ci`), not the project's.
  const envConfigPath = env['CI_CONFIG_PATH'];
  const configPath = options.configPath ?? (envConfigPath !== undefined && !envConfigPath.includes('@') ? envConfigPath : '.gitlab-ci.yml');
  const trigger = origin.jobFacts === undefined ? triggerFromFlags(options, metadata.defaultBranch) : triggerFromJob(origin.jobFacts, options);
  const { source, tag, branch, mrTarget, sha } = trigger;
  const derived = derivePredefinedVariables(metadata, {
    source,
    branch,
    tag,
    mergeRequestTarget: mrTarget,
    mergeRequestIid: trigger.mrIid,
    configPath,
    serverHost: origin.serverHost,
    sha,
  });
  // GitLab's other predefined values (CI_COMMIT_MESSAGE, GITLAB_USER_ID, ...) as the job got them;
  // GitLab's facts and the flags win.
  const predefined = { ...env, ...derived, ...(origin.jobFacts === undefined ? {} : { CI_PIPELINE_ID: String(origin.jobFacts.pipelineId), CI_JOB_ID: String(origin.jobFacts.jobId) }) };
  const context: PipelineContext = { projectPath: project, predefined, user: origin.userVariables };
  const text = await readProjectConfig({
    source: origin.source,
    project,
    configPath,
    named: configPath !== '.gitlab-ci.yml' || options.configPath !== undefined,
    policyProjects: origin.policyProjects,
    showFile: origin.showFile,
  });
  const facts = createRepositoryFacts({
    source: origin.source,
    project,
    ref: undefined,
    changedPaths: options.changed.length > 0 ? options.changed : undefined,
    checkoutDir: origin.checkoutDir,
    pipelineSource: source,
    // Data only: it decides what rules:changes compares with, as the project's own push does.
    beforeSha: options.beforeSha ?? env['CI_COMMIT_BEFORE_SHA'],
    sha,
    mergeRequestTarget: mrTarget,
  });
  return {
    file: { project, path: configPath, ref: undefined },
    text,
    context,
    facts,
    limits: DEFAULT_LIMITS,
    source: origin.source,
    remote: origin.remote,
    serverHost: origin.serverHost,
    ref: tag ?? branch ?? metadata.defaultBranch,
    configPath,
    showFile: origin.showFile,
    metadata,
    policyProjects: origin.policyProjects,
    failOpen: options.failOpen,
    policyLimits: {
      perPolicyProject: positiveInteger(options.policyLimit, 'policy-limit') ?? DEFAULT_POLICY_LIMITS.perPolicyProject,
      perPipeline: positiveInteger(options.pipelinePolicyLimit, 'pipeline-policy-limit') ?? DEFAULT_POLICY_LIMITS.perPipeline,
    },
    userVariableNames: Object.keys(origin.userVariables).sort(),
    scanTemplates: await readScanTemplates(options.templates, { cwd: io.cwd, source: origin.source }),
  };
}

interface Trigger {
  readonly source: string;
  readonly branch: string | undefined;
  readonly tag: string | undefined;
  readonly mrTarget: string | undefined;
  readonly mrIid: string | undefined;
  readonly sha: string | undefined;
}

/** On a terminal (or in workspace mode) the flags are the facts. */
function triggerFromFlags(options: CommandOptions<'compose'> | CommandOptions<'explain'>, defaultBranch: string): Trigger {
  const tag = options.tag;
  return {
    source: options.source ?? (options.mrTarget !== undefined ? 'merge_request_event' : 'push'),
    tag,
    branch: tag === undefined ? (options.branch ?? defaultBranch) : undefined,
    mrTarget: options.mrTarget,
    mrIid: options.mrIid,
    sha: options.sha,
  };
}

/** With --job GitLab's facts decide; a flag that would restate them is refused rather than weighed. */
function triggerFromJob(facts: JobFacts, options: CommandOptions<'compose'> | CommandOptions<'explain'>): Trigger {
  const given = (['source', 'branch', 'tag', 'mrTarget', 'mrIid', 'sha'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 0) {
    throw new UsageError('bad-arguments', `--job takes the pipeline's facts from GitLab: ${given.map((name) => `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`).join(', ')} cannot be given`);
  }
  return {
    source: facts.pipelineSource,
    tag: facts.tag,
    branch: facts.tag === undefined ? facts.branch : undefined,
    mrTarget: facts.mergeRequest?.targetBranch,
    mrIid: facts.mergeRequest === undefined ? undefined : String(facts.mergeRequest.iid),
    sha: facts.sha,
  };
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError('bad-arguments', `--${name} must be a whole number of at least 1`);
  return Number(value);
}

export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') {
    throw new UsageError('missing-option', `--${name} is required`, { hint: 'Run with --help for the options.' });
  }
  return value;
}

/** `K=V` pairs; the value may itself contain `=`. */
export function parseVariables(pairs: readonly string[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const name = at < 0 ? '' : pair.slice(0, at);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new UsageError('bad-variable', `--var ${pair}: expected NAME=value with a variable name of letters, digits and _`);
    }
    variables[name] = pair.slice(at + 1);
  }
  return variables;
}
