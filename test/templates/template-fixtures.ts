/**
 * The two GitLab CI/CD components of templates/, included the way users include them
 * (`include: component: $CI_SERVER_FQDN/<project>/<name>@<version>`), read by our engine and by
 * gitlab-ci-local. gitlab-ci-local fetches a component with git unless its state folder already
 * holds `includes/<host>/<project>/<ref>/templates/<name>.yml` (src/parser-includes.ts
 * downloadIncludeComponent), so the component is seeded there and nothing touches the network.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { ResolvedJob } from '../../src/ci/pipeline.js';
import type { OracleContext } from '../oracle/gitlab-ci-local.js';
import { ourPipeline, type OurPipeline } from '../oracle/our-engine.js';
import { createOracleRepo } from '../oracle/oracle-repo.js';
import { runGitlabCiLocal, type RunResult } from '../oracle/oracle-run.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const COMPONENT_PROJECT = 'policy-sidecar/policy-sidecar';
export const COMPONENT_VERSION = '0.1.0';
export const COMPONENTS = ['policy-sidecar', 'policy-sidecar-opt-in'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export type Inputs = Readonly<Record<string, string | boolean>>;

/** The GitLab URL every include passes (the input gitlab_url is required). */
export const GITLAB_URL = 'https://gitlab.example.com';

/** The central file (or a project's .gitlab-ci.yml) that includes one component; `gitlab_url: null` leaves the input out. */
export function includingConfig(component: ComponentName, inputs: Readonly<Record<string, string | boolean | null>> = {}): string {
  const include: Record<string, unknown> = { component: `$CI_SERVER_FQDN/${COMPONENT_PROJECT}/${component}@${COMPONENT_VERSION}` };
  const given = Object.entries({ gitlab_url: GITLAB_URL, ...inputs }).filter(([, value]) => value !== null);
  include['inputs'] = Object.fromEntries(given);
  return stringify({ include: [include] });
}

/** A folder shaped like the component project: templates/ as shipped, or replaced by `templates`. */
export async function writeComponentProject(templates?: Readonly<Record<string, string>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'component-project-'));
  if (templates === undefined) {
    await cp(join(repoRoot, 'templates'), join(dir, 'templates'), { recursive: true });
  } else {
    await mkdir(join(dir, 'templates'), { recursive: true });
    for (const [name, text] of Object.entries(templates)) await writeFile(join(dir, 'templates', name), text);
  }
  return dir;
}

/** Our engine, through the workspace source, on a project whose configuration is `config`. */
export async function resolveWithOurEngine(config: string, context: OracleContext): Promise<OurPipeline> {
  const project = await mkdtemp(join(tmpdir(), 'including-project-'));
  const component = await writeComponentProject();
  try {
    await writeFile(join(project, '.gitlab-ci.yml'), config);
    return await ourPipeline(project, { ...context, projects: { [COMPONENT_PROJECT]: component, ...context.projects } }, []);
  } finally {
    await rm(project, { recursive: true, force: true });
    await rm(component, { recursive: true, force: true });
  }
}

/**
 * gitlab-ci-local `--list-json` on a project whose configuration is `config`: it parses the
 * configuration, interpolates the component's inputs and validates the expanded result against
 * GitLab's CI JSON schema (bundled in its dist/index.js), failing on any schema error.
 * `variables` (e.g. CI_PIPELINE_SOURCE) are passed with --variable, for the jobs' rules.
 */
export async function resolveWithGitlabCiLocal(
  config: string,
  templates?: Readonly<Record<string, string>>,
  variables: Readonly<Record<string, string>> = {},
): Promise<RunResult> {
  const project = await mkdtemp(join(tmpdir(), 'including-project-'));
  const component = await writeComponentProject(templates);
  try {
    await writeFile(join(project, '.gitlab-ci.yml'), config);
    const repo = await createOracleRepo({
      sourceDir: project,
      ignore: [],
      branch: 'main',
      tag: undefined,
      defaultBranch: 'main',
      projectPath: 'acme/web',
      changedPaths: [],
    });
    try {
      const seeded = join(repo.root, repo.stateName, 'includes', 'gitlab.example.com', COMPONENT_PROJECT, COMPONENT_VERSION);
      await mkdir(seeded, { recursive: true });
      await cp(join(component, 'templates'), join(seeded, 'templates'), { recursive: true });
      return await runGitlabCiLocal(repo, { variables, unset: [], evaluateChanges: false, schemaCheck: 'worker' });
    } finally {
      await repo.remove();
    }
  } finally {
    await rm(project, { recursive: true, force: true });
    await rm(component, { recursive: true, force: true });
  }
}

export function jobNamed(pipeline: OurPipeline, name: string): ResolvedJob {
  const job = pipeline.resolved.jobs.find((candidate) => candidate.name === name);
  if (job === undefined) throw new Error(`no job ${name} in ${pipeline.resolved.jobs.map((each) => each.name).join(', ')}`);
  return job;
}

/** The job's script lines as strings (the components use plain strings only). */
export function scriptOf(job: ResolvedJob): string[] {
  const script = job.definition['script'];
  if (!Array.isArray(script) || !script.every((line): line is string => typeof line === 'string')) {
    throw new Error(`${job.name}: script is not a list of strings`);
  }
  return script;
}
