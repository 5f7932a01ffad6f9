/**
 * The independent oracle: gitlab-ci-local's view of a pipeline, normalised so tests can compare
 * it with our engine. It never imports our code. One gitlab-ci-local process per call, two when
 * probes are needed (see oracle-probes.ts). The first run's configuration is validated against
 * gitlab-ci-local's GitLab CI JSON schema, in the test worker (gitlab-ci-schema.ts), which proves
 * fixtures are valid GitLab CI; the probe run of the same repository skips that check
 * (oracle-run.ts `schemaCheck`).
 *
 * Where gitlab-ci-local differs from GitLab (4.72; paths are in its bundled sources, readable
 * from node_modules/gitlab-ci-local/dist/index.js.map), and what the oracle does about it:
 * - `only`/`except` are ignored entirely (no code in src/): such jobs keep their `when`.
 *   Flagged per job in `ignoredKeywords`; compare `when` only where it is empty.
 * - `workflow:rules` never drop the pipeline; only the matching rule's variables are merged
 *   (src/parser.ts init). The oracle asks gitlab-ci-local's evaluator through a probe job.
 * - Branch/tag come from git (src/git-data.ts): on a tag checkout CI_COMMIT_BRANCH and
 *   CI_COMMIT_REF_NAME are "HEAD" and CI_COMMIT_TAG is unset; CI_PIPELINE_SOURCE is always
 *   "push" and no CI_MERGE_REQUEST_* exist (src/predefined-variables.ts). The oracle passes
 *   GitLab's values with `--variable` and `--unset-variable`.
 * - `rules:changes` is `git diff --name-only origin/<default>` of the working tree, ignoring
 *   `compare_to` (src/utils.ts evaluateRuleChanges). Without `context.changes` the oracle turns
 *   evaluation off (changes are true, as GitLab does when it cannot compute them).
 * - `rules:exists` globs the working copy with dot files (src/utils.ts evaluateRuleExist), so a
 *   probe file `.gitlab-ci-local.yml` can match patterns such as `*.yml` when probes are used.
 * - `rules:if` is JavaScript `eval` after regex rewriting (src/utils.ts evaluateRuleIf): unusual
 *   expressions (nested parentheses with regexes, `$VAR` compared with unquoted text) can differ.
 * - Jobs without `rules`/`only`/`except` stay in merge request pipelines; GitLab's implicit
 *   `only: [branches, tags]` drops them. Corrected here (oracle-jobs.ts).
 * - Job-level `when: manual` defaults to `allow_failure: false` (GitLab: true). Corrected here.
 * - `default:` passes on only artifacts, cache, services, image, before_script and after_script
 *   (src/data-expander.ts inheritDefault), not tags, retry, timeout, interruptible, hooks.
 * - `extends` is depth-limited to 11 and a cycle is only detected through that limit; `!reference`
 *   is resolved after `extends`, and cycles are detected by JSON.stringify throwing.
 * - `needs` on a job that ends `when: never` is accepted (src/validator.ts needs); GitLab rejects it.
 * - `parallel:matrix` instances are named `build: [alpine,amd64]`; GitLab joins the values with
 *   ", " (normalizer/matrix_strategy.rb), so a need naming one instance as GitLab names it is not
 *   found. A need's own `parallel:matrix` is ignored. `spec:inputs` entries that are not a hash are
 *   accepted, and so are needs named twice or looping within a stage. Listed with their cases in
 *   resolve-fixtures-oracle.test.ts.
 * - `variables: {value, expand: false}` comes back with `$` doubled (src/utils.ts normalizeVariables).
 * - `include:project` is fetched with git from the remote; it works offline only from the state
 *   cache (src/parser-includes.ts downloadIncludeProjectFile), which `context.projects` seeds
 *   for the default ref. `include:template`/`remote` need the network and are not supported here.
 * - Predefined variables that gitlab-ci-local sets with local values (CI_PROJECT_ID=1217,
 *   GITLAB_CI=false, CI_COMMIT_REF_PROTECTED=false...) are overridden only where GitLab's value is
 *   derivable from the context; pass others in `context.variables`.
 */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { normaliseJobs, type OracleJob } from './oracle-jobs.js';
import { isProbeJob, planProbes, readProbeAnswers } from './oracle-probes.js';
import { createOracleRepo, type OracleRepo } from './oracle-repo.js';
import { runGitlabCiLocal, type RunOptions } from './oracle-run.js';

export type { OracleJob } from './oracle-jobs.js';
export { OracleError } from './oracle-run.js';

export interface OracleContext {
  branch?: string;
  tag?: string;
  /** CI_PIPELINE_SOURCE: push, merge_request_event, schedule, web... */
  source: string;
  /** Pipeline (and project CI/CD) variables; they override anything the oracle derives. */
  variables?: Record<string, string>;
  /** Default branch of the project (CI_DEFAULT_BRANCH), `main` when absent. */
  defaultBranch?: string;
  /** Full project path (CI_PROJECT_PATH), `acme/web` when absent. */
  projectPath?: string;
  /** Paths changed by the pipeline, for `rules:changes`; absent means "cannot know": changes are true. */
  changes?: string[];
  /** Folders holding other projects' files, by full path, for `include:project` without `ref`. */
  projects?: Record<string, string>;
}

export interface OracleOptions {
  /** Paths (relative to the folder) not copied into the repository, e.g. `context.json`. */
  ignore?: readonly string[];
  /** Keep `when: never` jobs in the result (GitLab does not create them). */
  includeNever?: boolean;
}

export interface OraclePipeline {
  /** False when `workflow:rules` create no pipeline; `jobs` is then empty. */
  created: boolean;
  stages: string[];
  jobs: OracleJob[];
}

/** The jobs GitLab would create for `dir` in `context`, as gitlab-ci-local sees them. */
export async function oracleJobs(dir: string, context: OracleContext, options: OracleOptions = {}): Promise<OracleJob[]> {
  return (await oraclePipeline(dir, context, options)).jobs;
}

export async function oraclePipeline(dir: string, context: OracleContext, options: OracleOptions = {}): Promise<OraclePipeline> {
  const defaultBranch = context.defaultBranch ?? 'main';
  const projectPath = context.projectPath ?? 'acme/web';
  const repo = await createOracleRepo({
    sourceDir: dir,
    ignore: options.ignore ?? [],
    branch: context.branch ?? defaultBranch,
    tag: context.tag,
    defaultBranch,
    projectPath,
    changedPaths: context.changes ?? [],
  });
  try {
    await seedProjectIncludes(repo, context.projects ?? {});
    const runOptions = deriveRunOptions(context, defaultBranch, projectPath);
    const first = await runGitlabCiLocal(repo, { ...runOptions, schemaCheck: 'worker' });
    const plan = planProbes(first);
    let final = first;
    if (plan.file !== undefined) {
      await writeFile(join(repo.root, repo.repoName, '.gitlab-ci-local.yml'), plan.file);
      final = await runGitlabCiLocal(repo, { ...runOptions, schemaCheck: 'none' });
    }
    const answers = readProbeAnswers(plan, final.listed);
    const stages = Array.isArray(final.expanded['stages']) ? final.expanded['stages'].map(String) : [];
    if (!answers.pipelineCreated) return { created: false, stages, jobs: [] };
    const visible = { ...final, listed: final.listed.filter((job) => !isProbeJob(job.name)) };
    const jobs = normaliseJobs(visible, answers, context.source).filter((job) => options.includeNever === true || job.when !== 'never');
    return { created: true, stages, jobs };
  } finally {
    await repo.remove();
  }
}

/** GitLab's predefined variables for the context (docs "ci/variables/predefined_variables"). */
function deriveRunOptions(context: OracleContext, defaultBranch: string, projectPath: string): Omit<RunOptions, 'schemaCheck'> {
  const branch = context.branch ?? defaultBranch;
  const refName = context.tag ?? branch;
  const variables: Record<string, string> = {
    CI_PIPELINE_SOURCE: context.source,
    CI_DEFAULT_BRANCH: defaultBranch,
    CI_COMMIT_REF_NAME: refName,
    CI_COMMIT_REF_SLUG: slugify(refName),
    GITLAB_CI: 'true',
  };
  // CI_COMMIT_BRANCH is absent in tag and merge request pipelines.
  const unset: string[] = [];
  if (context.tag !== undefined) {
    variables['CI_COMMIT_TAG'] = context.tag;
    unset.push('CI_COMMIT_BRANCH');
  } else if (context.source === 'merge_request_event') {
    variables['CI_MERGE_REQUEST_SOURCE_BRANCH_NAME'] = branch;
    variables['CI_MERGE_REQUEST_TARGET_BRANCH_NAME'] = defaultBranch;
    variables['CI_MERGE_REQUEST_EVENT_TYPE'] = 'detached';
    variables['CI_MERGE_REQUEST_PROJECT_PATH'] = projectPath;
    unset.push('CI_COMMIT_BRANCH');
  } else {
    variables['CI_COMMIT_BRANCH'] = branch;
  }
  const merged = { ...variables, ...context.variables };
  return { variables: merged, unset: unset.filter((key) => !(key in merged)), evaluateChanges: context.changes !== undefined };
}

/** gitlab-ci-local reuses `<state>/includes/<host>/<project>/<ref>/<file>` when it exists. */
async function seedProjectIncludes(repo: OracleRepo, projects: Record<string, string>): Promise<void> {
  for (const [project, folder] of Object.entries(projects)) {
    const target = join(repo.root, repo.stateName, 'includes', 'gitlab.example.com', project, 'HEAD');
    await mkdir(dirname(target), { recursive: true });
    await cp(folder, target, { recursive: true });
  }
}

function slugify(ref: string): string {
  return ref.toLowerCase().replace(/[^a-z0-9]/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
}
