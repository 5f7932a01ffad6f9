/**
 * Flags → everything `resolvePipeline` needs: the sources, the pipeline context and the
 * repository facts. This is the edge where files are opened; the core gets plain data.
 */
import type { PipelineContext } from '../ci/context.js';
import { DEFAULT_LIMITS } from '../ci/limits.js';
import { derivePredefinedVariables } from '../ci/predefined-variables.js';
import type { ResolveRequest } from '../ci/resolve-pipeline.js';
import { ConfigError, UsageError } from '../errors.js';
import { DEFAULT_POLICY_LIMITS, type PolicyLimits } from '../compose/index.js';
import type { ProjectMetadata } from '../sources/source.js';
import { createRepositoryFacts } from '../sources/repository-facts.js';
import type { CliIo } from './io.js';
import type { CommandOptions } from './options.js';
import { openGitlabOrigin } from './gitlab-origin.js';
import { showingPaths, type ShowFile } from './shown-paths.js';
import { openWorkspaceOrigin } from './workspace-origin.js';
import { readScanTemplates } from './read-scan-templates.js';
import type { ScanTemplates } from '../compose/sep/index.js';
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
  const origin =
    given ??
    (options.workspace === undefined
      ? await openGitlabOrigin(options, userVariables, io)
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
  const env = origin.pipelineVariables;
  // In enforced mode CI_CONFIG_PATH names the central file (`pipeline.yml@platform/ci`), not the project's.
  const envConfigPath = env['CI_CONFIG_PATH'];
  const configPath = options.configPath ?? (envConfigPath !== undefined && !envConfigPath.includes('@') ? envConfigPath : '.gitlab-ci.yml');
  const mrTarget = options.mrTarget ?? (options.branch === undefined && options.tag === undefined ? env['CI_MERGE_REQUEST_TARGET_BRANCH_NAME'] : undefined);
  const source = options.source ?? (options.mrTarget !== undefined ? 'merge_request_event' : env['CI_PIPELINE_SOURCE'] ?? 'push');
  const tag = options.tag ?? (options.branch === undefined && options.mrTarget === undefined ? env['CI_COMMIT_TAG'] : undefined);
  const envBranch = env['CI_COMMIT_BRANCH'] ?? env['CI_MERGE_REQUEST_SOURCE_BRANCH_NAME'];
  const branch = tag === undefined ? (options.branch ?? envBranch ?? metadata.defaultBranch) : undefined;
  const sha = options.sha ?? env['CI_COMMIT_SHA'];
  const derived = derivePredefinedVariables(metadata, {
    source,
    branch,
    tag,
    mergeRequestTarget: mrTarget,
    mergeRequestIid: options.mrIid ?? env['CI_MERGE_REQUEST_IID'],
    configPath,
    serverHost: origin.serverHost,
    sha,
  });
  // GitLab's other predefined values (CI_COMMIT_MESSAGE, GITLAB_USER_ID, ...) as the job got them;
  // what the flags decide wins.
  const predefined = { ...env, ...derived };
  const context: PipelineContext = { projectPath: project, predefined, user: origin.userVariables };
  const text = await showingPaths(origin.showFile, () => origin.source.readFile(project, configPath, undefined));
  // §3.3: a project without CI configuration still gets its policies' jobs.
  if (text === undefined && origin.policyProjects.length === 0) {
    throw new ConfigError('no-config', `${project} has no CI configuration file ${configPath}`, {
      location: { file: origin.showFile(configPath) },
      hint: 'Add the file, or pass --config-path if the project uses another one.',
    });
  }
  const facts = createRepositoryFacts({
    source: origin.source,
    project,
    ref: undefined,
    changedPaths: options.changed.length > 0 ? options.changed : undefined,
    checkoutDir: origin.checkoutDir,
    pipelineSource: source,
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
