/**
 * `validate FILE|DIR...`: checks CI configuration files without a pipeline in mind: YAML,
 * includes, extends, !reference, job structure and stages. Rules are not decided (they depend on
 * the pipeline); `include:rules` are evaluated as for a push to the default branch. A DIR means
 * DIR/.gitlab-ci.yml with DIR as the repository root; a FILE is read with its folder as the root.
 * Policy files (`.gitlab/security-policies/policy.yml`, or a DIR holding one) are checked against
 * the policy schema instead (validate-policies.ts), every problem on its own line.
 * Every file is checked and every problem printed; exit 2 when any file is invalid.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { expandConfig } from '../../ci/expand/index.js';
import { resolveIncludes } from '../../ci/include/index.js';
import { DEFAULT_LIMITS } from '../../ci/limits.js';
import { parseCiFile } from '../../ci/parse.js';
import { derivePredefinedVariables } from '../../ci/predefined-variables.js';
import { evaluateRules } from '../../ci/rules/index.js';
import { formatLocation, isSidecarError, UsageError } from '../../errors.js';
import { createRemoteFetcher } from '../../http/remote-fetcher.js';
import { createRepositoryFacts } from '../../sources/repository-facts.js';
import { openWorkspace } from '../../sources/workspace/workspace-source.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { CommandOptions } from '../options.js';
import { workspacePathShower } from '../shown-paths.js';
import type { PolicyFile } from '../../policies/types.js';
import { validatePolicyFile } from '../../policies/validate-policy-file.js';
import { isPolicyFilePath, policyFileIn, validatePolicyFileAt, type PolicyValidation } from './validate-policies.js';

export async function runValidate(options: CommandOptions<'validate'>, positionals: readonly string[], io: CliIo): Promise<number> {
  if (positionals.length === 0) {
    throw new UsageError('missing-argument', 'validate needs at least one FILE or DIR', { hint: 'policy-sidecar validate .gitlab-ci.yml' });
  }
  let failures = 0;
  for (const argument of positionals) {
    const target = resolve(io.cwd, argument);
    const policy = await validatePolicyTarget(target, io);
    if (policy !== undefined) {
      for (const line of policy.lines) io.stdout.write(`${line}\n`);
      if (policy.failed) failures += 1;
      // What compose will read next: each pipeline execution policy's CI file and its includes.
      // (A policy project DIR only: a lone policy.yml FILE is checked against the schema alone.)
      const isProject = (await stat(target).catch(() => undefined))?.isDirectory() === true;
      const contents = policy.failed || !isProject ? [] : await validatePolicyContents(policy.file, options, io);
      for (const line of contents) io.stdout.write(`${line}\n`);
      if (contents.length > 0) failures += 1;
      // A policy project without its own CI file is only a policy project.
      if (!(await isDirectoryWithCiFile(target))) continue;
    }
    const problem = await validateOne(target, options, io);
    const shown = relative(io.cwd, resolve(io.cwd, argument)) || argument;
    if (problem === undefined) {
      io.stdout.write(`${shown}: valid\n`);
    } else {
      failures += 1;
      io.stdout.write(`${problem}\n`);
    }
  }
  return failures === 0 ? EXIT.ok : EXIT.invalidInput;
}

/** The policy-file check of a FILE or DIR argument, or undefined when it is not about a policy file. */
async function validatePolicyTarget(target: string, io: CliIo): Promise<(PolicyValidation & { readonly file: string }) | undefined> {
  const info = await stat(target).catch(() => undefined);
  if (info?.isFile() === true && isPolicyFilePath(target)) return { ...(await validatePolicyFileAt(target, io)), file: target };
  const policyFile = info?.isDirectory() === true ? await policyFileIn(target) : undefined;
  return policyFile === undefined ? undefined : { ...(await validatePolicyFileAt(policyFile, io)), file: policyFile };
}

/**
 * The CI file each pipeline execution policy includes (content.include): it exists and is valid
 * YAML within the limits. One line per problem; none when every file is fine.
 */
async function validatePolicyContents(policyFile: string, options: CommandOptions<'validate'>, io: CliIo): Promise<string[]> {
  // …/<project>/.gitlab/security-policies/policy.yml
  const projectDir = dirname(dirname(dirname(policyFile)));
  const shownPolicyFile = relative(io.cwd, policyFile) || policyFile;
  const text = await readFile(policyFile, 'utf8');
  const workspaceRoot = options.workspace === undefined ? await workspaceRootOf(projectDir, text) : resolve(io.cwd, options.workspace);
  // Where the policies' project paths point is unknown: nothing to check against.
  if (workspaceRoot === undefined) return [];
  const project = relative(workspaceRoot, projectDir).split('\\').join('/');
  let loaded: PolicyFile;
  try {
    loaded = validatePolicyFile(text, shownPolicyFile, { path: project, id: 0 });
  } catch (error) {
    if (!isSidecarError(error)) throw error;
    return [`${shownPolicyFile}: ${error.message}`];
  }
  const lines: string[] = [];
  for (const { policy, location } of loaded.policies) {
    if (policy.type !== 'pipeline_execution_policy') continue;
    const { content } = policy;
    const included = `${content.project}:${content.file}`;
    const at = location === undefined ? shownPolicyFile : formatLocation(location);
    const workspace = await openWorkspace(workspaceRoot);
    const ciText = await workspace.readFile(content.project, content.file, undefined).catch(() => undefined);
    if (ciText === undefined) {
      lines.push(`${at}: Pipeline execution policy error: policy "${policy.name}" includes ${included}, which does not exist`);
      continue;
    }
    // Only the file itself: its includes and variables depend on the project being composed
    // (an override_project_ci policy includes $CI_PROJECT_PATH's own CI file), which compose checks.
    try {
      parseCiFile(ciText, included, DEFAULT_LIMITS);
    } catch (error) {
      if (!isSidecarError(error)) throw error;
      const shown = error.withFileShown(workspacePathShower(io.cwd, workspaceRoot, content.project));
      const where = shown.location === undefined ? at : formatLocation(shown.location);
      lines.push(`${where}: Pipeline execution policy error: ${shown.message} (policy "${policy.name}")`);
    }
  }
  return lines;
}

async function isDirectoryWithCiFile(target: string): Promise<boolean> {
  const info = await stat(join(target, '.gitlab-ci.yml')).catch(() => undefined);
  return info?.isFile() === true;
}

/**
 * The workspace of a policy project given without --workspace: the folder above it with a
 * workspace.yml, else the one its policies' own `content.include` project paths point from
 * (a policy project that includes its own files names its full path); undefined when neither.
 */
async function workspaceRootOf(projectDir: string, policyText: string): Promise<string | undefined> {
  const named = await findWorkspaceRoot(projectDir);
  if ((await stat(join(named, 'workspace.yml')).catch(() => undefined)) !== undefined) return named;
  const unix = projectDir.split('\\').join('/');
  for (const match of policyText.matchAll(/project:\s*['"]?([^\s'"]+)/g)) {
    const path = match[1] ?? '';
    if (path !== '' && unix.endsWith(`/${path}`)) return projectDir.slice(0, projectDir.length - path.length - 1);
  }
  return undefined;
}

/** The nearest folder above `projectDir` with a workspace.yml, else the folder just above it. */
async function findWorkspaceRoot(projectDir: string): Promise<string> {
  for (let dir = dirname(projectDir); dir !== dirname(dir); dir = dirname(dir)) {
    if ((await stat(join(dir, 'workspace.yml')).catch(() => undefined)) !== undefined) return dir;
  }
  return dirname(projectDir);
}

async function validateOne(target: string, options: CommandOptions<'validate'>, io: CliIo): Promise<string | undefined> {
  const info = await stat(target).catch(() => undefined);
  if (info === undefined) return `${relative(io.cwd, target)}: no such file or directory`;
  const projectDir = info.isDirectory() ? target : dirname(target);
  const configPath = info.isDirectory() ? '.gitlab-ci.yml' : basename(target);
  const workspaceRoot = options.workspace === undefined ? await findWorkspaceRoot(projectDir) : resolve(io.cwd, options.workspace);
  const project = relative(workspaceRoot, projectDir).split('\\').join('/');
  let text: string | undefined;
  try {
    text = await (await openWorkspace(workspaceRoot)).readFile(project, configPath, undefined);
  } catch (error) {
    if (!isSidecarError(error)) throw error;
    const shown = error.withFileShown(workspacePathShower(io.cwd, workspaceRoot, project));
    return `${shown.location === undefined ? relative(io.cwd, target) : formatLocation(shown.location)}: ${shown.message}`;
  }
  if (text === undefined) return `${relative(io.cwd, join(projectDir, configPath))}: no such file`;
  return checkCiFile(workspaceRoot, project, configPath, text, options, io);
}

/** Includes, extends, !reference and job structure of one CI file, as a push to the default branch sees them. */
async function checkCiFile(workspaceRoot: string, project: string, configPath: string, text: string, options: CommandOptions<'validate'>, io: CliIo): Promise<string | undefined> {
  try {
    const workspace = await openWorkspace(workspaceRoot);
    const metadata = await workspace.readProject(project);
    const predefined = metadata === undefined ? {} : derivePredefinedVariables(metadata, {
      source: 'push', branch: metadata.defaultBranch, tag: undefined, mergeRequestTarget: undefined,
      mergeRequestIid: undefined, configPath, serverHost: workspace.metadata.serverHost, sha: undefined,
    });
    const facts = createRepositoryFacts({
      source: workspace, project, ref: undefined, changedPaths: undefined, checkoutDir: undefined,
      pipelineSource: 'push', beforeSha: undefined, sha: undefined, mergeRequestTarget: undefined,
    });
    const included = await resolveIncludes({ project, path: configPath, ref: undefined }, text, {
      source: workspace,
      remote: createRemoteFetcher({ allowedHosts: options.allowRemoteHost, maxBytes: DEFAULT_LIMITS.maxRemoteBytes, timeoutMs: DEFAULT_LIMITS.remoteTimeoutMs }),
      limits: DEFAULT_LIMITS,
      variables: predefined,
      facts,
      evaluateRules: (rules, scope) => evaluateRules(rules, scope),
      serverHost: workspace.metadata.serverHost,
    });
    expandConfig(included.config, DEFAULT_LIMITS);
    return undefined;
  } catch (error) {
    if (!isSidecarError(error)) throw error;
    const shown = error.withFileShown(workspacePathShower(io.cwd, workspaceRoot, project));
    const where = shown.location === undefined ? relative(io.cwd, join(workspaceRoot, project, configPath)) : formatLocation(shown.location);
    return `${where}: ${shown.message}${shown.hint === undefined ? '' : ` (${shown.hint})`}`;
  }
}
