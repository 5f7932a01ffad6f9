/**
 * Flags → everything `resolvePipeline` needs: the sources, the pipeline context and the
 * repository facts. This is the edge where files are opened; the core gets plain data.
 */
import { join, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import type { PipelineContext } from '../ci/context.js';
import { DEFAULT_LIMITS } from '../ci/limits.js';
import { derivePredefinedVariables } from '../ci/predefined-variables.js';
import type { ResolveRequest } from '../ci/resolve-pipeline.js';
import { ConfigError, UsageError } from '../errors.js';
import { DEFAULT_POLICY_LIMITS, type PolicyLimits } from '../compose/index.js';
import type { ProjectMetadata } from '../sources/source.js';
import { createRemoteFetcher } from '../http/remote-fetcher.js';
import { createRepositoryFacts } from '../sources/repository-facts.js';
import { openWorkspace } from '../sources/workspace/workspace-source.js';
import type { CliIo } from './io.js';
import type { CommandOptions } from './options.js';
import { workspacePathShower, type ShowFile } from './shown-paths.js';

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
}

export async function buildPipelineRequest(options: CommandOptions<'compose'> | CommandOptions<'explain'>, io: CliIo): Promise<PipelineRequest> {
  if (options.workspace === undefined) {
    throw new UsageError('api-mode-unavailable', 'reading projects from the GitLab API is not available in this version', {
      hint: 'Pass --workspace DIR (see docs/workspace.md); API mode is planned next.',
    });
  }
  const project = required(options.project, 'project');
  if (options.tag !== undefined && (options.branch !== undefined || options.mrTarget !== undefined)) {
    throw new UsageError('bad-arguments', '--tag cannot be combined with --branch or --mr-target');
  }
  const userVariables = parseVariables(options.var);
  const workspace = await openWorkspace(resolve(io.cwd, options.workspace));
  const metadata = await workspace.readProject(project);
  if (metadata === undefined) {
    throw new UsageError('unknown-project', `project ${project} is not in workspace ${options.workspace}`, {
      hint: `Create ${join(options.workspace, project)}/ or list it in workspace.yml.`,
    });
  }
  const configPath = options.configPath ?? '.gitlab-ci.yml';
  const source = options.source ?? (options.mrTarget !== undefined ? 'merge_request_event' : 'push');
  const branch = options.tag === undefined ? (options.branch ?? metadata.defaultBranch) : undefined;
  const serverHost = workspace.metadata.serverHost;
  const predefined = derivePredefinedVariables(metadata, {
    source,
    branch,
    tag: options.tag,
    mergeRequestTarget: options.mrTarget,
    mergeRequestIid: options.mrIid,
    configPath,
    serverHost,
    sha: options.sha,
  });
  const context: PipelineContext = { projectPath: project, predefined, user: userVariables };
  const policyProjects = options.policyProject;
  const text = await workspace.readFile(project, configPath, undefined);
  // §3.3: a project without CI configuration still gets its policies' jobs.
  if (text === undefined && policyProjects.length === 0) {
    throw new ConfigError('no-config', `${project} has no CI configuration file ${configPath}`, {
      location: { file: workspacePathShower(io.cwd, workspace.root, project)(configPath) },
      hint: 'Add the file, or pass --config-path if the project uses another one.',
    });
  }
  const projectDir = workspace.projectDir(project);
  const isCheckout = (await stat(join(projectDir, '.git')).catch(() => undefined)) !== undefined;
  const facts = createRepositoryFacts({
    source: workspace,
    project,
    ref: undefined,
    changedPaths: options.changed.length > 0 ? options.changed : undefined,
    checkoutDir: isCheckout ? projectDir : undefined,
    pipelineSource: source,
    beforeSha: options.beforeSha,
    sha: options.sha,
    mergeRequestTarget: options.mrTarget,
  });
  return {
    file: { project, path: configPath, ref: undefined },
    text,
    context,
    facts,
    limits: DEFAULT_LIMITS,
    source: workspace,
    remote: createRemoteFetcher({
      allowedHosts: options.allowRemoteHost,
      maxBytes: DEFAULT_LIMITS.maxRemoteBytes,
      timeoutMs: DEFAULT_LIMITS.remoteTimeoutMs,
    }),
    serverHost,
    ref: options.tag ?? branch ?? metadata.defaultBranch,
    configPath,
    showFile: workspacePathShower(io.cwd, workspace.root, project),
    metadata,
    policyProjects,
    failOpen: options.failOpen,
    policyLimits: {
      perPolicyProject: positiveInteger(options.policyLimit, 'policy-limit') ?? DEFAULT_POLICY_LIMITS.perPolicyProject,
      perPipeline: positiveInteger(options.pipelinePolicyLimit, 'pipeline-policy-limit') ?? DEFAULT_POLICY_LIMITS.perPipeline,
    },
    userVariableNames: Object.keys(userVariables).sort(),
  };
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError('bad-arguments', `--${name} must be a whole number of at least 1`);
  return Number(value);
}

function required(value: string | undefined, name: string): string {
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
