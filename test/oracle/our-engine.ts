/**
 * Our engine on the same input and context as the oracle, normalised to the oracle's shape, so
 * the comparison test can put the two side by side. Goes through the same edge code as the CLI
 * (workspace source, predefined variables, repository facts).
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_LIMITS } from '../../src/ci/limits.js';
import type { ResolvedPipeline } from '../../src/ci/pipeline.js';
import { derivePredefinedVariables } from '../../src/ci/predefined-variables.js';
import { resolvePipeline } from '../../src/ci/resolve-pipeline.js';
import { isMap } from '../../src/ci/value.js';
import { createRemoteFetcher } from '../../src/http/remote-fetcher.js';
import { createRepositoryFacts } from '../../src/sources/repository-facts.js';
import type { Source } from '../../src/sources/source.js';
import { openWorkspace } from '../../src/sources/workspace/workspace-source.js';
import type { OracleContext, OracleJob } from './gitlab-ci-local.js';

export interface OurPipeline {
  readonly created: boolean;
  readonly jobs: OracleJob[];
  readonly resolved: ResolvedPipeline;
}

export async function ourPipeline(dir: string, context: OracleContext, ignore: readonly string[]): Promise<OurPipeline> {
  const project = context.projectPath ?? 'acme/web';
  const defaultBranch = context.defaultBranch ?? 'main';
  const root = await mkdtemp(join(tmpdir(), 'our-engine-'));
  try {
    const links: Record<string, string> = { [project]: dir, ...context.projects };
    for (const [path, target] of Object.entries(links)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await symlink(resolve(target), join(root, path));
    }
    await writeFile(join(root, 'workspace.yml'), `projects:\n  ${project}:\n    default_branch: ${defaultBranch}\n`);
    const workspace = await openWorkspace(root);
    // The fixture's own metadata files are not part of the repository, as for the oracle.
    const source: Source = {
      ...workspace,
      listFiles: async (path, ref) => (await workspace.listFiles(path, ref)).filter((file) => !ignore.includes(file)),
    };
    const metadata = await source.readProject(project);
    if (metadata === undefined) throw new Error(`no project ${project}`);
    const mergeRequest = context.source === 'merge_request_event';
    const predefined = derivePredefinedVariables(metadata, {
      source: context.source,
      branch: context.tag === undefined ? (context.branch ?? defaultBranch) : undefined,
      tag: context.tag,
      mergeRequestTarget: mergeRequest ? defaultBranch : undefined,
      mergeRequestIid: undefined,
      configPath: '.gitlab-ci.yml',
      serverHost: 'gitlab.example.com',
      sha: undefined,
    });
    const text = (await source.readFile(project, '.gitlab-ci.yml', undefined)) ?? '';
    const resolved = await resolvePipeline({
      file: { project, path: '.gitlab-ci.yml', ref: undefined },
      text,
      context: { projectPath: project, predefined, user: context.variables ?? {} },
      facts: createRepositoryFacts({
        source, project, ref: undefined, changedPaths: context.changes, checkoutDir: undefined,
        pipelineSource: context.source, beforeSha: undefined, sha: undefined, mergeRequestTarget: undefined,
      }),
      limits: DEFAULT_LIMITS,
      source,
      remote: createRemoteFetcher({ allowedHosts: [], maxBytes: 1, timeoutMs: 1 }),
      serverHost: 'gitlab.example.com',
    });
    return { created: resolved.created, jobs: resolved.created ? resolved.jobs.map(toOracleShape) : [], resolved };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function toOracleShape(job: ResolvedPipeline['jobs'][number]): OracleJob {
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  const beforeScript = strings(job.definition['before_script']);
  return {
    name: job.name,
    stage: job.stage,
    when: job.when,
    allowFailure: job.allowFailure === true || isMap(job.allowFailure),
    needs: job.needs === undefined ? null : job.needs.map((need) => (isMap(need) ? String(need['job']) : String(need))),
    script: [...beforeScript, ...strings(job.definition['script'])],
    beforeScript,
    afterScript: strings(job.definition['after_script']),
    variables: Object.fromEntries(Object.entries(job.variables).map(([name, variable]) => [name, variable.value])),
    ignoredKeywords: [],
  };
}
